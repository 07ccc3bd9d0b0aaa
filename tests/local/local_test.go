// Package local_test swaps our local(8) into an otherwise real Postfix
// instance and compares what it delivers (mbox files, Maildir files,
// command and file deliveries, non-delivery notices, log lines) with an
// all-real instance given the same mail.
package local_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// files configure both instances.
var files = map[string]string{
	"etc/aliases": `postmaster: root
root: nobody
alist: nobody, bin
owner-alist: nobody
fwd: nobody@mx.delivspec.example
inc: :include:@ROOT@/etc/inc.list
pipeit: "|/bin/cat > @ROOT@/out/pipe.out"
tofile: @ROOT@/out/file.mbox
looper: looper@mx.delivspec.example
`,
	"etc/inc.list":    "nobody\n",
	"fwd/bin.forward": "\\bin, @ROOT@/maildir/bin/\n",
}

// messages are submitted in order with the real sendmail.
var messages = []struct {
	args []string
	text string
}{
	{[]string{"-f", "alice@remote.example", "nobody"}, "Subject: mbox\n\nFrom the start of a line\n>From already quoted\n"},
	{[]string{"-f", "alice@remote.example", "bin"}, "Subject: forward to maildir\n\nbody\n"},
	{[]string{"-f", "alice@remote.example", "alist"}, "Subject: owner alias\n\nlist body\n"},
	{[]string{"-f", "alice@remote.example", "fwd", "inc"}, "Subject: alias and include\n\nbody\n"},
	{[]string{"-f", "alice@remote.example", "pipeit", "tofile"}, "Subject: command and file\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "nosuchuser"}, "Subject: to unknown\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "nobody+ext"}, "Subject: extension\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "nobody"}, "Subject: loop\nDelivered-To: nobody@mx.delivspec.example\n\nbody\n"},
}

// run feeds the messages to an instance and returns what it delivered,
// masked, by file name, and its local/bounce log lines.
func run(t *testing.T, ours map[string]string) map[string]string {
	in := instance.New(t, instance.Local("", files, ours))
	os.MkdirAll(in.Path("maildir"), 0755)
	os.Chown(in.Path("maildir"), 2, 2) // bin
	for _, m := range messages {
		in.Send(m.text, m.args...)
		// One at a time, so that both instances see the same order.
		if !in.WaitQueueEmpty(30 * time.Second) {
			t.Fatalf("queue not empty after %v:\n%s", m.args, in.Maillog())
		}
	}
	return collect(in)
}

// collect returns what an instance delivered, masked, by file name, and
// its local log lines.
func collect(in *instance.Instance) map[string]string {
	out := map[string]string{}
	for _, dir := range []string{"spool", "out", "maildir/bin/new"} {
		ents, _ := os.ReadDir(in.Path(dir))
		var all []string
		for _, e := range ents {
			if !e.Type().IsRegular() {
				continue
			}
			data, _ := os.ReadFile(in.Path(filepath.Join(dir, e.Name())))
			if dir == "maildir/bin/new" {
				all = append(all, instance.Mask(string(data), in.Root))
				continue
			}
			out[dir+"/"+e.Name()] = instance.Mask(string(data), in.Root)
		}
		if len(all) > 0 {
			sort.Strings(all)
			out[dir] = strings.Join(all, "\n----\n")
		}
	}
	var lines []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		if strings.Contains(l, "postfix/local[") {
			lines = append(lines, instance.Mask(l, in.Root))
		}
	}
	// Concurrent deliveries log in any order.
	sort.Strings(lines)
	out["maillog(local)"] = strings.Join(lines, "\n")
	return out
}

func TestLocalAgainstReal(t *testing.T) {
	want := run(t, nil)
	got := run(t, ours.Map(t))
	compare(t, got, want, 5)
}

func compare(t *testing.T, got, want map[string]string, least int) {
	t.Helper()
	if len(want) < least {
		t.Fatalf("the real instance delivered too little: %v", want)
	}
	for name, w := range want {
		if g := got[name]; g != w {
			t.Errorf("%s differs.\nours:\n%s\nreal:\n%s", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("ours made %s, the real one did not", name)
		}
	}
}
