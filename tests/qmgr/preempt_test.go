package qmgr

import (
	"fmt"
	"strings"
	"testing"
)

// preemption queues a mailing list message for many recipients and,
// while its first delivery waits at the gate, single-recipient
// messages to the same transport. One recipient per request and
// per-recipient queues make every list recipient one job entry.
func preemption(t *testing.T, ourQmgr bool, listSize, small int, extra string, qmgrOpts ...string) result {
	g := newGated(t, ourQmgr, "slow_destination_recipient_limit = 1\n"+extra, qmgrOpts...)
	g.send(1, "list", addrs("list", "slow.example", listSize)...)
	g.waitBlocked()
	for i := 1; i <= small; i++ {
		g.send(1+i, fmt.Sprintf("small %d", i), fmt.Sprintf("small%03d@slow.example", i))
	}
	return g.open(listSize + small)
}

// comparePreemption runs the scenario with the real qmgr and with ours
// and compares the delivery order; fcfs tells whether the small
// messages must come last (no preemption) or before the last list
// recipient.
func comparePreemption(t *testing.T, listSize, small int, extra string, fcfs bool, qmgrOpts ...string) {
	want := compare(t, func(t *testing.T, ourQmgr bool) result {
		return preemption(t, ourQmgr, listSize, small, extra, qmgrOpts...)
	}).order
	// The scenario must show what it is about in the real run too.
	lastSmall := 0
	for i, r := range want {
		if strings.HasPrefix(r, "small") {
			lastSmall = i
		}
	}
	if fcfs != (lastSmall == len(want)-1) {
		t.Errorf("real order does not show the expected scheduling (fcfs %v): %s", fcfs, strings.Join(want, " "))
	}
}

// TestPreemption: with the default slot cost 5, loan 3 and discount
// 50, each small message preempts the list after five more list
// deliveries.
func TestPreemption(t *testing.T) {
	comparePreemption(t, 150, 20, "", false)
}

// TestPreemptionTuned varies the per-transport slot parameters: a
// higher cost and no loan space the small messages further apart.
func TestPreemptionTuned(t *testing.T) {
	comparePreemption(t, 120, 8, "slow_delivery_slot_cost = 9\nslow_delivery_slot_loan = 0\nslow_delivery_slot_discount = 0\n", false)
}

// TestNoPreemption: a slot cost of 1 turns preemption off, and a job
// too small for the minimum slots cannot be preempted; the settings
// come from qmgr's -o options here, which override main.cf.
func TestNoPreemption(t *testing.T) {
	t.Run("cost1", func(t *testing.T) {
		comparePreemption(t, 40, 5, "slow_delivery_slot_cost = 4\n", true, "slow_delivery_slot_cost=1")
	})
	t.Run("minslots", func(t *testing.T) {
		comparePreemption(t, 40, 5, "", true, "default_minimum_delivery_slots=9")
	})
}
