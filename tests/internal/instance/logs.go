package instance

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	logPrefix = regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ postfix/([\w-]+)\[\d+\]: (.*)$`)
	logID     = regexp.MustCompile(`\b[0-9A-F]{10,12}\b`)
	logDelays = regexp.MustCompile(`delay=[\d.]+, delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+`)
	logStamps = regexp.MustCompile(`<\d{14}\.|\d{9,}|\[\d{4,}\]`)
)

// LogSet returns the log lines of the named programs as "program: text"
// without times, pids, queue IDs, delays, long numbers (time stamps,
// boundaries) and the instance directory, as a sorted set: concurrent
// deliveries log in any order, retries repeat lines.
func (in *Instance) LogSet(progs ...string) []string {
	want := map[string]bool{}
	for _, p := range progs {
		want[p] = true
	}
	set := map[string]bool{}
	for _, line := range strings.Split(in.Maillog(), "\n") {
		m := logPrefix.FindStringSubmatch(line)
		if m == nil || !want[m[1]] || clockWarning(m[2]) {
			continue
		}
		text := strings.ReplaceAll(m[2], in.Root, "@ROOT@")
		text = logID.ReplaceAllString(text, "ID")
		text = logDelays.ReplaceAllString(text, "delay=D, delays=D")
		text = logStamps.ReplaceAllString(text, "N")
		set[m[1]+": "+text] = true
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// QueueIDOf returns the queue ID of the first log line containing
// text, "" when there is none.
func (in *Instance) QueueIDOf(text string) string {
	for _, line := range strings.Split(in.Maillog(), "\n") {
		if strings.Contains(line, text) {
			if m := logPrefix.FindStringSubmatch(line); m != nil {
				return strings.TrimSuffix(strings.Fields(m[2])[0], ":")
			}
		}
	}
	return ""
}

// CompareMaps reports every difference between what our run made (got)
// and what the real one made (want), both keyed by name (a file, a log
// line class): an entry that differs, one only the real run made, one
// only ours made.
func CompareMaps(t testing.TB, got, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s differs.\nours:\n%s\nreal:\n%s", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("ours made %s, the real one did not:\n%s", name, got[name])
		}
	}
}

// FirstDiff finds the first line where two lists differ: its number
// (from 1) and the line of each, "<none>" past the end of a list; n is 0
// when the lists are equal.
func FirstDiff(want, got []string) (n int, w, g string) {
	for i := 0; i < len(want) || i < len(got); i++ {
		w, g = "<none>", "<none>"
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return i + 1, w, g
		}
	}
	return 0, "", ""
}

// SetDiff lists the lines only one side has: "- line" for want only,
// "+ line" for got only; "" when the sets are equal.
func SetDiff(want, got []string) string {
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

// clockWarning reports the real cleanup's warnings about the incoming
// file system's clock (mail_stream.c compares a new queue file's mtime
// with time(2), whose coarse clock can lag the kernel's fine-grained file
// time stamps by a tick across a second boundary): they come and go with
// timing, not with what a test compares, and LogSet leaves them out.
func clockWarning(text string) bool {
	return strings.HasPrefix(text, "warning: file system clock is ") ||
		text == "warning: resetting file time stamps - this hurts performance"
}
