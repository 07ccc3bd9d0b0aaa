package queue

import (
	"gopostfix/tests/internal/instance"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// run runs a program with args and returns its stdout, stderr and exit
// status.
func run(t *testing.T, env []string, prog string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Env = append(env, "TZ=UTC", "PATH=/usr/bin:/bin")
	var out, errs strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errs
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %v timed out", prog, args)
	}
	return out.String(), errs.String(), cmd.ProcessState.ExitCode()
}

// TestPostqueueListing compares our postqueue (and our sendmail as mailq
// and with -bp) with the real postqueue on a real instance's queue,
// through the real showq: -p with short and long queue IDs, and -j.
func TestPostqueueListing(t *testing.T) {
	in := newInstance(t)
	defer in.Stop()
	fill(t, in)
	etc := in.Path("etc")
	for _, args := range [][]string{{"-p"}, {"-j"}} {
		want, wantErr, wantRC := run(t, nil, "/usr/sbin/postqueue", append([]string{"-c", etc}, args...)...)
		got, gotErr, gotRC := run(t, nil, ours.Path(t, "postqueue"), append([]string{"-c", etc}, args...)...)
		if got != want || gotErr != wantErr || gotRC != wantRC {
			t.Errorf("postqueue %v:\nours (%d) %q%s\nreal (%d) %q%s", args, gotRC, got, gotErr, wantRC, want, wantErr)
		}
		if !strings.Contains(want, "carol@queue.example") {
			t.Errorf("postqueue %v lists too little:\n%s", args, want)
		}
	}
	// mailq is sendmail under another name; it runs command_directory's
	// postqueue -p, here the instance's (real) one.
	want, _, _ := run(t, nil, "/usr/sbin/postqueue", "-c", etc, "-p")
	mailq := in.Path("mailq")
	if out, err := exec.Command("ln", "-s", ours.Path(t, "sendmail"), mailq).CombinedOutput(); err != nil {
		t.Fatalf("ln: %v %s", err, out)
	}
	if got, errs, rc := run(t, []string{"MAIL_CONFIG=" + etc}, mailq); got != want || rc != 0 {
		t.Errorf("mailq: %q %s (%d)\nwant %q", got, errs, rc, want)
	}
	if got, errs, rc := run(t, nil, ours.Path(t, "sendmail"), "-C", etc, "-bp"); got != want || rc != 0 {
		t.Errorf("sendmail -bp: %q %s (%d)\nwant %q", got, errs, rc, want)
	}
}

// TestPostqueueFlush uses our postqueue against the real qmgr and flush
// daemons: -i puts the deferred message back into delivery, -s does it
// for a fast-flush site, -f for everything not on hold; each shows as
// another delivery attempt (two deferred recipients) in the log.
func TestPostqueueFlush(t *testing.T) {
	in := newInstance(t)
	defer in.Stop()
	fill(t, in)
	pq := ours.Path(t, "postqueue")
	etc := in.Path("etc")
	deferred := in.Queued("deferred")
	if len(deferred) != 1 {
		t.Fatalf("deferred: %v", deferred)
	}
	id := deferred[0]
	attempts := func() int { return strings.Count(in.Maillog(), id+": to=<") }
	flush := func(n int, args ...string) {
		t.Helper()
		if out, errs, rc := run(t, nil, pq, append([]string{"-c", etc}, args...)...); rc != 0 || out+errs != "" {
			t.Fatalf("postqueue %v: %d %q", args, rc, out+errs)
		}
		if !instance.WaitFor(30*time.Second, func() bool { return attempts() >= n }) {
			t.Fatalf("postqueue %v: %d delivery attempts, want %d\n%s", args, attempts(), n, in.Maillog())
		}
		// The message must be back in deferred before the next request.
		if !instance.WaitFor(30*time.Second, func() bool { return len(in.Queued("deferred")) == 1 }) {
			t.Fatalf("postqueue %v: message not deferred again", args)
		}
	}
	flush(4, "-i", id)
	flush(6, "-s", "remote.example")
	flush(8, "-f")
	if _, errs, rc := run(t, nil, pq, "-c", etc, "-s", "other.example"); rc != 69 ||
		errs != "postqueue: fatal: Flush service is not configured for destination \"other.example\"\n" {
		t.Errorf("postqueue -s other.example: %d %q", rc, errs)
	}
	if got := len(in.Queued("hold")); got != 2 {
		t.Errorf("hold holds %d messages, want 2", got)
	}
}
