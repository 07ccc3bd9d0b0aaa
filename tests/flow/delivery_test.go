package flow

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// deliveryCases are submitted to local mailboxes; every instance must
// deliver the same messages.
var deliveryCases = []struct {
	name   string
	args   []string
	input  string
	copies int // deliveries to root (default 1)
}{
	{"plain", []string{"-f", "alice", "root"}, "Subject: plain\n\nHello.\nFrom the start\n", 1},
	{"headers", []string{"-f", "alice", "root@localhost"}, "To: root, \"Quoted Name\" <user2@mx.flow.example>\nCc: Some One <user3>\nSubject: rewrite\n\nbody\n", 1},
	{"sendmail-t", []string{"-t", "-f", "alice"}, "To: root\nBcc: root@localhost\nSubject: t\n\nbody\n", 2},
	{"resent", []string{"-f", "alice", "root"}, "Resent-From: alice\nResent-To: root\nFrom: carol@remote.example\nSubject: resent\n\nbody\n", 1},
	{"fullname", []string{"-f", "alice", "-F", "Plain   Name", "root"}, "Subject: name\n\nbody\n", 1},
	{"no-newline", []string{"-f", "", "root"}, "Subject: null sender\n\nno newline at end", 1},
	{"long", []string{"-f", "alice", "root"}, "Subject: long\n\n" + strings.Repeat("z", 3000) + "\n", 1},
}

var (
	maskFromLine = regexp.MustCompile(`(?m)^From (\S*)  [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \d{4}$`)
	maskAnyID    = regexp.MustCompile(`\b[0-9A-F]{8,12}\b`)
)

// normalizeMbox masks IDs and dates and sorts the messages (a message
// with two recipients is delivered in either order).
func normalizeMbox(s string) string {
	s = maskFromLine.ReplaceAllString(s, "From $1  <DATE>")
	s = maskDate.ReplaceAllString(s, "<DATE>")
	s = maskMsgID.ReplaceAllString(s, "<STAMP.")
	s = maskAnyID.ReplaceAllString(s, "QUEUEID")
	var msgs []string
	for _, m := range strings.Split("\n"+s, "\nFrom ")[1:] {
		msgs = append(msgs, strings.TrimRight(m, "\n"))
	}
	sort.Strings(msgs)
	return strings.Join(msgs, "\n=====\n")
}

// deliverAll submits every case and waits until all arrived in the
// mailbox of root.
func deliverAll(t *testing.T, in *instance.Instance) string {
	t.Helper()
	for _, tc := range deliveryCases {
		out, err := in.RunInput(tc.input, "/usr/sbin/sendmail", append([]string{"-C", in.Path("etc")}, tc.args...)...)
		if err != nil {
			t.Fatalf("%s: sendmail: %v\n%s", tc.name, err, out)
		}
	}
	want := 0
	for _, tc := range deliveryCases {
		want += max(tc.copies, 1)
	}
	var last string
	stable := 0
	if !waitFor(60*time.Second, func() bool {
		data, _ := os.ReadFile(in.Path("spool/root"))
		if countMessages(string(data)) >= want && string(data) == last {
			stable++
		} else {
			stable = 0
		}
		last = string(data)
		return stable >= 3
	}) {
		t.Fatalf("not all delivered:\n%s", in.Maillog())
	}
	return last
}

func countMessages(mbox string) int {
	return len(maskFromLine.FindAllString(mbox, -1))
}

// TestDeliveryWithOurDaemons runs the cases through an all-real instance
// and through instances where our trivial-rewrite, cleanup or pickup (one
// at a time, then all three) replace the real ones, and compares the
// delivered mailboxes.
func TestDeliveryWithOurDaemons(t *testing.T) {
	real := newInstance(t, "", baseMasterCF, nil, nil)
	want := normalizeMbox(deliverAll(t, real))
	swaps := map[string]map[string]string{
		"trivial-rewrite": {"trivial-rewrite": ours.Path(t, "trivial-rewrite")},
		"cleanup":         {"cleanup": ours.Path(t, "cleanup")},
		"pickup":          {"pickup": ours.Path(t, "pickup")},
		"all": {"trivial-rewrite": ours.Path(t, "trivial-rewrite"), "cleanup": ours.Path(t, "cleanup"),
			"pickup": ours.Path(t, "pickup")},
	}
	for _, name := range []string{"trivial-rewrite", "cleanup", "pickup", "all"} {
		t.Run(name, func(t *testing.T) {
			in := newInstance(t, "", baseMasterCF, swaps[name], nil)
			got := normalizeMbox(deliverAll(t, in))
			if got != want {
				w, g := strings.Split(want, "\n=====\n"), strings.Split(got, "\n=====\n")
				for i := 0; i < len(w) || i < len(g); i++ {
					var a, b string
					if i < len(w) {
						a = w[i]
					}
					if i < len(g) {
						b = g[i]
					}
					if a != b {
						t.Errorf("message %d differs\nreal:\n%s\nours:\n%s", i, a, b)
					}
				}
			}
			if strings.Contains(in.Maillog(), "fatal:") || strings.Contains(in.Maillog(), "panic:") {
				t.Errorf("errors in the log:\n%s", in.Maillog())
			}
		})
	}
}
