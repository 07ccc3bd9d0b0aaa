package qmgr

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// mainCF adds to the local-delivery system of instance.Local what
// every scenario has: a destination concurrency of 1 for the gated
// transport and no delay warnings; a scenario adds its limits.
const mainCF = `slow_destination_concurrency_limit = 1
delay_warning_time = 0
`

// masterCF adds the one-process pipe service to the usual services.
const masterCF = instance.MasterCF + `slow      unix  -       n       n       -       1       pipe
  user=nobody argv=/bin/sh @ROOT@/etc/slow.sh ${nexthop} ${recipient}
`

// slowScript is the pipe command: it waits for out/gate (at most a
// minute, leaving out/waiting behind while it does), then appends one
// line per delivery request: the next hop and its recipients.
const slowScript = `n=0
while [ ! -e @ROOT@/out/gate ] && [ $n -lt 600 ]; do
	: > @ROOT@/out/waiting
	sleep 0.1
	n=$((n+1))
done
cat > /dev/null
echo "$*" >> @ROOT@/out/requests
exit 0
`

const transportMap = `slow.example slow:
.slow.example slow:
`

// gated is an instance with the gated transport.
type gated struct {
	*instance.Instance
	t *testing.T
}

// qmgrLine is qmgr's service in instance.MasterCF.
const qmgrLine = "qmgr      unix  n       -       n       300     1       qmgr\n"

// newGated starts an instance with qmgr ours or real, the scenario's
// main.cf lines, and -o options for qmgr's master.cf entry.
func newGated(t *testing.T, ourQmgr bool, extra string, qmgrOpts ...string) *gated {
	t.Helper()
	var swap map[string]string
	if ourQmgr {
		swap = ours.Map(t, "qmgr")
	}
	opts := instance.Local(mainCF+extra, map[string]string{"etc/transport": transportMap, "etc/slow.sh": slowScript}, swap)
	opts.Prefix, opts.Master = "qmgrsched", masterCF
	if len(qmgrOpts) > 0 {
		if !strings.Contains(masterCF, qmgrLine) {
			t.Fatal("no qmgr line in master.cf")
		}
		opts.Master = strings.Replace(masterCF, qmgrLine, strings.TrimSuffix(qmgrLine, "\n")+" -o "+strings.Join(qmgrOpts, " -o ")+"\n", 1)
	}
	in := instance.New(t, opts)
	return &gated{Instance: in, t: t}
}

// waitBlocked waits until the first delivery request waits at the gate.
func (g *gated) waitBlocked() {
	g.t.Helper()
	if !g.WaitFor(30*time.Second, func() bool { _, err := os.Stat(g.Path("out/waiting")); return err == nil }) {
		g.t.Fatalf("no delivery reached the gate:\n%s", g.Maillog())
	}
}

var activeLine = regexp.MustCompile(`postfix/qmgr\[\d+\]: [0-9A-F]+: from=<[^>]*>, size=\d+, nrcpt=\d+ \(queue active\)`)

// waitActive waits until qmgr has logged n messages entering the
// active queue.
func (g *gated) waitActive(n int) {
	g.t.Helper()
	if !g.WaitFor(30*time.Second, func() bool { return len(activeLine.FindAllString(g.Maillog(), -1)) >= n }) {
		g.t.Fatalf("%d messages did not reach the active queue:\n%s", n, g.Maillog())
	}
}

// send submits a message from sender to rcpts and waits until it is the
// n-th message in the active queue.
func (g *gated) send(n int, subject string, rcpts ...string) {
	g.t.Helper()
	g.Send("Subject: "+subject+"\n\nbody\n", append([]string{"-f", "sender@example.org"}, rcpts...)...)
	g.waitActive(n)
}

// result is what a scenario observed.
type result struct {
	requests []string // next hop and recipients of each delivery request
	order    []string // recipients in the order of the pipe agent's log lines
	qmgrLog  []string // qmgr's log lines, normalized (instance.LogSet)
}

// open opens the gate and waits until want recipients were delivered
// and every message is removed.
func (g *gated) open(want int) result {
	g.t.Helper()
	// Candidates are scored by their time in the active queue per
	// recipient, in whole seconds: with a few seconds gone, the scores
	// no longer depend on the second in which each message arrived.
	time.Sleep(2 * time.Second)
	g.Write("out/gate", "")
	sent := regexp.MustCompile(`postfix/pipe\[\d+\]: [0-9A-F]+: to=<([^>]+)>, relay=slow, .*status=sent`)
	if !g.WaitFor(90*time.Second, func() bool { return len(sent.FindAllString(g.Maillog(), -1)) >= want }) {
		g.t.Fatalf("only %d of %d recipients delivered:\n%s", len(sent.FindAllString(g.Maillog(), -1)), want, g.Maillog())
	}
	msgs := len(activeLine.FindAllString(g.Maillog(), -1))
	if !g.WaitFor(30*time.Second, func() bool { return strings.Count(g.Maillog(), ": removed\n") >= msgs }) {
		g.t.Fatalf("messages not removed:\n%s", g.Maillog())
	}
	var r result
	for _, m := range sent.FindAllStringSubmatch(g.Maillog(), -1) {
		r.order = append(r.order, m[1])
	}
	r.requests = strings.Split(strings.TrimSuffix(g.Read("out/requests"), "\n"), "\n")
	r.qmgrLog = g.LogSet("qmgr")
	return r
}

// compare runs a scenario with the real qmgr and with ours, side by
// side, and compares the delivery requests, the delivery order and
// qmgr's log lines; it returns the real result.
func compare(t *testing.T, scenario func(t *testing.T, ourQmgr bool) result) result {
	var want, got result
	t.Run("run", func(t *testing.T) {
		t.Run("real", func(t *testing.T) { t.Parallel(); want = scenario(t, false) })
		t.Run("ours", func(t *testing.T) { t.Parallel(); got = scenario(t, true) })
	})
	if t.Failed() {
		t.FailNow()
	}
	if d := firstDiff(want.requests, got.requests); d != "" {
		t.Errorf("delivery requests differ from the real qmgr: %s\nreal:\n%s\nours:\n%s", d,
			strings.Join(want.requests, "\n"), strings.Join(got.requests, "\n"))
	}
	if d := firstDiff(want.order, got.order); d != "" {
		t.Errorf("delivery order differs from the real qmgr: %s", d)
	}
	if d := instance.SetDiff(want.qmgrLog, got.qmgrLog); d != "" {
		t.Errorf("qmgr log lines differ (- real, + ours):\n%s", d)
	}
	return want
}

// addrs returns prefix001@domain ... prefixN@domain.
func addrs(prefix, domain string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d@%s", prefix, i+1, domain)
	}
	return out
}

// reversed returns s in reverse order.
func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// firstDiff describes where two sequences first differ, "" when equal.
func firstDiff(want, got []string) string {
	if n, w, g := instance.FirstDiff(want, got); n > 0 {
		return fmt.Sprintf("first difference at #%d: real %q, ours %q", n, w, g)
	}
	return ""
}
