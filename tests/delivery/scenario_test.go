package delivery

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// scenario runs the standard delivery cases on in and returns the
// normalized log lines of the delivery side.
func scenario(t *testing.T, in *instance) []string {
	t.Helper()
	in.send("to a mailbox", "daemon")
	in.send("to nobody", "nosuchuser")
	in.send("discarded", "x@discard.example")
	in.send("deferred", "someone@defer.example")
	in.send("held", "daemon@later.example")

	if !waitFor(20*time.Second, func() bool { return strings.Contains(in.mailbox("daemon"), "Subject: to a mailbox") }) {
		t.Fatalf("local delivery did not happen:\n%s", in.maillog())
	}
	if !waitFor(20*time.Second, func() bool {
		return strings.Contains(in.mailbox("root"), "Subject: Undelivered Mail Returned to Sender")
	}) {
		t.Fatalf("no bounce for the unknown user:\n%s", in.maillog())
	}
	if !waitFor(20*time.Second, func() bool { return strings.Contains(in.maillog(), "status=sent (gone for good)") }) {
		t.Fatalf("no discard:\n%s", in.maillog())
	}
	// The two deferred messages are retried (queue_run_delay 2s).
	if !waitFor(20*time.Second, func() bool {
		return strings.Count(in.maillog(), "status=deferred (simulated deferral)") >= 2 &&
			strings.Count(in.maillog(), "status=deferred (not yet)") >= 2
	}) {
		t.Fatalf("deferred mail was not retried:\n%s", in.maillog())
	}
	held := in.idOf("status=deferred (not yet)")
	in.run("", "/usr/sbin/postsuper", "-c", in.path("etc"), "-h", held)
	if ids := in.queued("hold"); len(ids) != 1 || ids[0] != held {
		t.Fatalf("hold queue: %v", ids)
	}
	// The destination comes back; held mail stays where it is.
	in.write("etc/transport", strings.Replace(baseTransport, "later.example retry:4.4.1 not yet", "later.example local:", 1))
	in.reload()
	time.Sleep(2 * time.Second)
	in.run("", "/usr/sbin/postqueue", "-c", in.path("etc"), "-f")
	time.Sleep(2 * time.Second)
	if strings.Contains(in.mailbox("daemon"), "Subject: held") {
		t.Fatalf("held mail was delivered")
	}
	in.run("", "/usr/sbin/postsuper", "-c", in.path("etc"), "-H", held)
	in.run("", "/usr/sbin/postqueue", "-c", in.path("etc"), "-f")
	if !waitFor(20*time.Second, func() bool { return strings.Contains(in.mailbox("daemon"), "Subject: held") }) {
		t.Fatalf("released mail was not delivered:\n%s", in.maillog())
	}
	if strings.Count(in.mailbox("daemon"), "Subject: held") != 1 || strings.Count(in.mailbox("daemon"), "Subject: to a mailbox") != 1 {
		t.Fatalf("duplicate deliveries:\n%s", in.mailbox("daemon"))
	}
	if !waitFor(10*time.Second, func() bool { return len(in.queued("active", "incoming")) == 0 }) {
		t.Fatalf("queue not drained: %v", in.queued("active", "incoming"))
	}
	return normalize(in.maillog())
}

var (
	logPrefix = regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ postfix/([\w-]+)\[\d+\]: (.*)$`)
	queueID   = regexp.MustCompile(`\b[0-9A-F]{10,12}\b`)
	delays    = regexp.MustCompile(`delay=[\d.]+, delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+`)
	boundary  = regexp.MustCompile(`\d{9,}`)
)

// normalize keeps the lines of the programs this package reproduces and
// of local (whose lines carry qmgr's time stamps), without times, PIDs,
// queue IDs and delays; the result is a sorted set.
func normalize(log string) []string {
	set := map[string]bool{}
	for _, line := range strings.Split(log, "\n") {
		m := logPrefix.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		switch m[1] {
		case "qmgr", "error", "discard", "local":
		default:
			continue
		}
		text := queueID.ReplaceAllString(m[2], "ID")
		text = delays.ReplaceAllString(text, "delay=D, delays=D")
		text = boundary.ReplaceAllString(text, "N")
		set[m[1]+": "+text] = true
	}
	var out []string
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// idOf returns the queue ID of the first log line containing text.
func (in *instance) idOf(text string) string {
	in.t.Helper()
	for _, line := range strings.Split(in.maillog(), "\n") {
		if strings.Contains(line, text) {
			if m := logPrefix.FindStringSubmatch(line); m != nil {
				return strings.TrimSuffix(strings.Fields(m[2])[0], ":")
			}
		}
	}
	in.t.Fatalf("no log line with %q", text)
	return ""
}

// TestSwaps runs the scenario on an all-real instance and on instances
// with one of our daemons, and compares the delivery log lines.
func TestSwaps(t *testing.T) {
	var want []string
	t.Run("real", func(t *testing.T) {
		want = scenario(t, newInstance(t, ""))
	})
	if want == nil {
		t.Fatal("the all-real reference run failed")
	}
	for _, d := range ourPrograms {
		t.Run(d, func(t *testing.T) {
			got := scenario(t, newInstance(t, "", d))
			t.Logf("%d normalized log lines:\n%s", len(got), strings.Join(got, "\n"))
			if diff := setDiff(want, got); diff != "" {
				t.Errorf("log lines differ from the real Postfix (- real, + ours):\n%s", diff)
			}
		})
	}
}

func setDiff(want, got []string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, l := range want {
		w[l] = true
	}
	for _, l := range got {
		g[l] = true
	}
	var b strings.Builder
	for _, l := range want {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
