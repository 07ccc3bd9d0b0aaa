package main

import (
	"fmt"
	"strings"
	"testing"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/queue"
)

// sched drives the scheduler of one transport without queue files or
// delivery agents: messages are assigned as after resolving, entries
// are selected as agents ask for work and finished as they reply.
type sched struct {
	t  *testing.T
	q  *qmgr
	tr *transport
}

// newSched makes a transport "slow" with Postfix's default slot
// parameters, one recipient per request and per-recipient queues of
// window 1; tune changes the transport before use.
func newSched(t *testing.T, tune func(*transport)) *sched {
	q, _ := newTestQmgr(t)
	l, err := queue.NewLayout(t.TempDir(), mailconf.New("", q.log))
	if err != nil {
		t.Fatal(err)
	}
	q.layout = l
	q.cfg.rcptLimit, q.cfg.msgRcptLimit, q.cfg.activeLimit = 20000, 10, 20000
	tr := &transport{name: "slow", byName: map[string]*dqueue{}, jobByID: map[string]*job{},
		jobs: newList(schedLinks), byTime: newList(timeLinks), blockerTag: 1,
		destConcLimit: 1, initDestConc: 1, rcptLimit: 1, rcptUnused: 20000, rcptPerStack: 1000,
		slotCost: 5, slotLoan: 3, slotLoanFactor: 50, minSlots: 3, refillLimit: 100}
	if tune != nil {
		tune(tr)
	}
	q.byName[tr.name] = tr
	q.transports = append(q.transports, tr)
	return &sched{t: t, q: q, tr: tr}
}

// add brings message id into the active queue at second queued with
// recipients "name@dest"; each goes to queue dest, or to a queue of its
// own when the transport takes one recipient per request.
func (s *sched) add(id string, queued int64, rcpts ...string) *message {
	q := s.q
	m := q.newMessage(queue.Active, id, 0)
	m.queuedTime = queued
	for i, a := range rcpts {
		name := a[strings.IndexByte(a, '@')+1:]
		if s.tr.rcptLimit == 1 {
			name = a
		}
		dq := q.findQueue(s.tr, name, a[strings.IndexByte(a, '@')+1:])
		m.rcpts = append(m.rcpts, &rcpt{Recipient: deliver.Recipient{Address: a, Offset: int64(i + 1)}, queue: dq})
	}
	q.assignMessage(m)
	q.messageMoveLimits(m)
	return m
}

// next selects the next entry, failing when there is none.
func (s *sched) next() *entry {
	s.t.Helper()
	e := s.q.selectEntry(s.tr)
	if e == nil {
		s.t.Fatalf("no entry selected")
	}
	return e
}

// run selects and finishes entries one at a time until none is left,
// and returns the recipients in delivery order.
func (s *sched) run() []string {
	var out []string
	for e := s.q.selectEntry(s.tr); e != nil; e = s.q.selectEntry(s.tr) {
		out = append(out, rcptNames(e)...)
		s.q.entryDone(e)
	}
	return out
}

func rcptNames(e *entry) []string {
	var out []string
	for _, r := range e.rcpts {
		out = append(out, r.Address)
	}
	return out
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d@d", prefix, i+1)
	}
	return out
}

// preemptOrder is the delivery order of a list of n recipients queued
// first and single-recipient messages s1..sk queued a second later,
// when each small one waits for `every` list deliveries.
func preemptOrder(n, k, every int) []string {
	var out []string
	list := names("l", n)
	out = append(out, list[0])
	i := 1
	for s := 1; s <= k; s++ {
		if s > 1 {
			for j := 0; j < every && i < n; j++ {
				out = append(out, list[i])
				i++
			}
		}
		out = append(out, fmt.Sprintf("s%02d@d", s))
	}
	return append(out, list[i:]...)
}

// TestPreemptOrder: with cost 5, loan 3 and discount 50, a small job
// preempts the list as soon as the list has one slot, then the list
// pays back the five slots it lent before the next one.
func TestPreemptOrder(t *testing.T) {
	for _, tt := range []struct {
		name  string
		tune  func(*transport)
		small int
		want  []string
	}{
		{"default", nil, 4, preemptOrder(30, 4, 5)},
		{"cost 3", func(tr *transport) { tr.slotCost = 3 }, 4, preemptOrder(30, 4, 3)},
		{"cost 1 is first come first served", func(tr *transport) { tr.slotCost = 1 }, 4,
			append(names("l", 30), "s01@d", "s02@d", "s03@d", "s04@d")},
		{"too small to preempt", func(tr *transport) { tr.minSlots = 7 }, 4,
			append(names("l", 30), "s01@d", "s02@d", "s03@d", "s04@d")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSched(t, tt.tune)
			s.add("LIST", 100, names("l", 30)...)
			first := s.next()
			for i := 1; i <= tt.small; i++ {
				s.add(fmt.Sprintf("S%d", i), 101, fmt.Sprintf("s%02d@d", i))
			}
			got := rcptNames(first)
			s.q.entryDone(first)
			got = append(got, s.run()...)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("order\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestNoLoan: without the loan a single-entry job preempts only once
// the list has earned slot_cost slots.
func TestNoLoan(t *testing.T) {
	s := newSched(t, func(tr *transport) { tr.slotLoan, tr.slotLoanFactor = 0, 100 })
	s.add("LIST", 100, names("l", 30)...)
	first := s.next()
	s.add("S1", 101, "s01@d")
	got := rcptNames(first)
	s.q.entryDone(first)
	got = append(got, s.run()...)
	if got[5] != "s01@d" {
		t.Errorf("small message delivered as #%d, want #6: %v", indexOf(got, "s01@d")+1, got)
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// TestScoreOrder: among candidates, the one with most time in the
// active queue per recipient goes first; a job needing more slots than
// the current job can still earn is no candidate.
func TestScoreOrder(t *testing.T) {
	s := newSched(t, nil)
	s.add("LIST", 100, names("l", 30)...)
	first := s.next()
	s.add("TWO", 101, "t01@d", "t02@d")
	s.add("ONE", 102, "o01@d")
	s.q.entryDone(first)
	got := s.run()
	// Both were queued long ago: TWO's time per recipient is about half
	// of ONE's.
	if i, j := indexOf(got, "o01@d"), indexOf(got, "t01@d"); i < 0 || j < 0 || i > j {
		t.Errorf("ONE should preempt before TWO: %v", got)
	}
}

// TestBlocker: a job whose only destination is at its window is skipped
// (marked as a blocker with its queue), and comes back when that queue
// has room again.
func TestBlocker(t *testing.T) {
	// Queues per destination (x and y, window 1), one recipient per
	// request, no preemption.
	s := newSched(t, func(tr *transport) { tr.slotCost = 1 })
	tr := s.tr
	ma := s.q.newMessage(queue.Active, "A", 0)
	ma.queuedTime = 100
	x := s.q.findQueue(tr, "x", "x")
	y := s.q.findQueue(tr, "y", "y")
	ma.rcpts = []*rcpt{{Recipient: deliver.Recipient{Address: "a1@x"}, queue: x}, {Recipient: deliver.Recipient{Address: "a2@x"}, queue: x}}
	s.q.assignMessage(ma)
	mb := s.q.newMessage(queue.Active, "B", 0)
	mb.queuedTime = 101
	mb.rcpts = []*rcpt{{Recipient: deliver.Recipient{Address: "b1@y"}, queue: y}}
	s.q.assignMessage(mb)
	e1 := s.next() // a1@x: x is now at its window
	e2 := s.next() // A blocks, B's b1@y goes
	if rcptNames(e1)[0] != "a1@x" || rcptNames(e2)[0] != "b1@y" {
		t.Fatalf("selected %v then %v", rcptNames(e1), rcptNames(e2))
	}
	ja := tr.jobByID["A"]
	if !ja.isBlocker() || x.blockerTag != tr.blockerTag {
		t.Fatalf("A and x not marked as blockers (job tag %d queue tag %d transport %d)", ja.blockerTag, x.blockerTag, tr.blockerTag)
	}
	if e := s.q.selectEntry(tr); e != nil {
		t.Fatalf("selected %v while x and y are busy", rcptNames(e))
	}
	tag := tr.blockerTag
	s.q.entryDone(e1)
	if tr.blockerTag != tag+2 || x.blockerTag != 0 || ja.isBlocker() || tr.current != ja {
		t.Fatalf("blockers not reconsidered: tag %d->%d, queue tag %d, current %v", tag, tr.blockerTag, x.blockerTag, tr.current == ja)
	}
	if e := s.next(); rcptNames(e)[0] != "a2@x" {
		t.Fatalf("after x has room: %v", rcptNames(e))
	}
}

// TestRecipientSlots: the transport's slots go to the first job that
// still has recipients to read; a job with every recipient read gives
// back what it does not use, and slots come back as entries finish.
func TestRecipientSlots(t *testing.T) {
	s := newSched(t, func(tr *transport) { tr.rcptUnused = 50 })
	a := s.add("A", 100, names("a", 10)...)
	ja := s.tr.jobByID["A"]
	if ja.rcptLimit != 10 || a.rcptLimit != 10+10 || s.tr.rcptUnused != 40 {
		t.Fatalf("after A: job limit %d message limit %d unused %d", ja.rcptLimit, a.rcptLimit, s.tr.rcptUnused)
	}
	// B has unread recipients: it takes everything unused.
	b := s.q.newMessage(queue.Active, "B", 0)
	b.queuedTime = 101
	b.rcptOffset, b.rcptUnread = 1234, 5
	b.rcpts = []*rcpt{{Recipient: deliver.Recipient{Address: "b01@d"}, queue: s.q.findQueue(s.tr, "b01@d", "d")}}
	s.q.assignMessage(b)
	jb := s.tr.jobByID["B"]
	if jb.rcptLimit != 40 || b.rcptLimit != 50 || s.tr.rcptUnused != 0 || s.tr.nextUnread != jb {
		t.Fatalf("after B: job limit %d message limit %d unused %d", jb.rcptLimit, b.rcptLimit, s.tr.rcptUnused)
	}
	// A delivers: its freed slot goes to B, the next unread job.
	e := s.next()
	s.q.entryDone(e)
	if ja.rcptLimit != 9 || jb.rcptLimit != 41 || b.rcptLimit != 51 {
		t.Fatalf("after one delivery of A: A %d, B %d (message %d)", ja.rcptLimit, jb.rcptLimit, b.rcptLimit)
	}
}

// TestStackSlots: a preempting job with unread recipients gets half of
// the extra slots for job stacks; popping it settles the parent's
// slots with what it really used.
func TestStackSlots(t *testing.T) {
	s := newSched(t, func(tr *transport) { tr.rcptPerStack = 8 })
	s.add("LIST", 100, names("l", 30)...)
	first := s.next()
	m := s.q.newMessage(queue.Active, "PART", 0)
	m.queuedTime = 101
	m.rcptOffset, m.rcptUnread = 999, 1
	m.rcpts = []*rcpt{{Recipient: deliver.Recipient{Address: "p01@d"}, queue: s.q.findQueue(s.tr, "p01@d", "d")}}
	s.q.assignMessage(m)
	jp := s.tr.jobByID["PART"]
	s.q.entryDone(first)
	before := jp.rcptLimit
	// PART needs 2 entries (1 read, 1 unread): preempting takes 10 of
	// LIST's slots, which is allowed with the loan (1/5+3 >= 1).
	jl := s.tr.jobByID["LIST"]
	if got := s.q.preempt(jl); got != jp {
		t.Fatalf("PART did not preempt LIST (slots %d)", jl.slotsAvailable)
	}
	if jp.level != 1 || jp.parent != jl || s.tr.current != jp || jl.slotsAvailable != 1-10 || jp.slotsUsed != -2 {
		t.Fatalf("stack: level %d, parent %v, slots %d used %d", jp.level, jp.parent == jl, jl.slotsAvailable, jp.slotsUsed)
	}
	if jp.rcptLimit != before+(8+0+1)/2 || s.tr.rcptUnused != -(8+1)/2 {
		t.Fatalf("extra slots: limit %d->%d, unused %d", before, jp.rcptLimit, s.tr.rcptUnused)
	}
	// PART delivers one entry, then leaves the stack: LIST gets back
	// the slot PART did not use.
	s.q.countSlots(jp)
	s.q.popJob(jp)
	if jl.slotsAvailable != 1-10+5 || jp.level != 0 || jp.parent != nil || !jl.children.empty() {
		t.Fatalf("after pop: slots %d level %d", jl.slotsAvailable, jp.level)
	}
}

// TestRetireRevive: a job whose entries are all selected leaves the
// lists and comes back when more recipients are assigned.
func TestRetireRevive(t *testing.T) {
	s := newSched(t, func(tr *transport) { tr.rcptLimit = 0 })
	m := s.add("A", 100, "a1@x")
	j := s.tr.jobByID["A"]
	e := s.next()
	if j.level != -1 || s.tr.jobs.len() != 0 {
		t.Fatalf("job not retired: level %d, %d jobs", j.level, s.tr.jobs.len())
	}
	m.rcpts = []*rcpt{{Recipient: deliver.Recipient{Address: "a2@y"}, queue: s.q.findQueue(s.tr, "y", "y")}}
	s.q.assignMessage(m)
	if j.level != 0 || s.tr.jobs.first() != j || s.tr.current != j {
		t.Fatalf("job not revived: level %d", j.level)
	}
	e2 := s.next()
	s.q.entryDone(e)
	s.q.entryDone(e2)
	if len(m.jobs) != 0 || len(s.tr.jobByID) != 0 {
		t.Fatalf("message not freed: %d jobs", len(m.jobs))
	}
}

func TestDlist(t *testing.T) {
	type node struct {
		v int
		l links[node]
	}
	l := newList(func(n *node) *links[node] { return &n.l })
	ns := make([]*node, 5)
	for i := range ns {
		ns[i] = &node{v: i}
		l.pushBack(ns[i])
	}
	str := func() string {
		var b strings.Builder
		for n := l.first(); n != nil; n = l.next(n) {
			fmt.Fprint(&b, n.v)
		}
		for n := l.last(); n != nil; n = l.prev(n) {
			fmt.Fprint(&b, n.v)
		}
		return b.String()
	}
	for _, step := range []struct {
		op   func()
		want string
	}{
		{func() {}, "0123443210"},
		{func() { l.rotate(ns[1]) }, "2340110432"},
		{func() { l.rotate(ns[1]) }, "2340110432"},
		{func() { l.remove(ns[3]) }, "24011042"},
		{func() { l.insert(ns[4], ns[3], ns[0]) }, "2430110342"},
		{func() { l.remove(ns[2]); l.pushFront(ns[2]) }, "2430110342"},
		{func() { l.remove(ns[1]) }, "24300342"},
		{func() { l.rotate(ns[2]) }, "43022034"},
	} {
		step.op()
		if got := str(); got != step.want {
			t.Fatalf("list %s, want %s", got, step.want)
		}
	}
	if l.len() != 4 {
		t.Fatalf("len %d", l.len())
	}
}
