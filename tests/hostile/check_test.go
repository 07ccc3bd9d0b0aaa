package hostile

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// crashLine finds what a crashed or panicking daemon leaves in the log.
var crashLine = regexp.MustCompile(`(?m)^.*(panic:|goroutine \d+ \[|signal (SIGSEGV|SIGBUS)|killed by signal|runtime error).*$`)

// checkNoCrash fails when the log shows a crash of any program.
func checkNoCrash(t *testing.T, in *instance.Instance) {
	t.Helper()
	if m := crashLine.FindAllString(in.Maillog(), 5); len(m) > 0 {
		t.Errorf("crash in the log:\n%s", strings.Join(m, "\n"))
	}
}

// clip shortens a transcript for a failure message.
func clip(s string) string {
	if len(s) > 4000 {
		return s[:2000] + "\n...\n" + s[len(s)-2000:]
	}
	return s
}

// compareSets reports the lines only one side has.
func compareSets(t *testing.T, what string, got, want []string) {
	t.Helper()
	if d := instance.SetDiff(want, got); d != "" {
		t.Errorf("%s differ (- real, + ours):\n%s", what, clip(d))
	}
}

// waitCount waits (at most limit) until the log has at least n lines
// containing text.
func waitCount(in *instance.Instance, limit time.Duration, text string, n int) bool {
	return in.WaitFor(limit, func() bool { return strings.Count(in.Maillog(), text) >= n })
}

var (
	// msgSize is a message size in a log line: it depends on the length
	// of queue IDs, which carry the inode number.
	msgSize = regexp.MustCompile(`size=\d+`)
	// childPID is the process id in master's warnings about its
	// children.
	childPID = regexp.MustCompile(`pid \d+`)
)

// logSet is in.LogSet with message sizes and process ids masked too.
func logSet(in *instance.Instance, progs ...string) []string {
	var out []string
	for _, l := range in.LogSet(progs...) {
		out = append(out, childPID.ReplaceAllString(msgSize.ReplaceAllString(l, "size=N"), "pid N"))
	}
	return out
}
