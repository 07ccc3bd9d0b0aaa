package qmgr

import (
	"fmt"
	"strings"
	"testing"
)

// batchingCF keeps few recipients in memory: 20 in all, 12 slots for
// the slow transport (6 more for preempting jobs), refills of at
// least 4, never for time alone; 7 recipients per delivery request.
const batchingCF = `qmgr_message_active_limit = 20
qmgr_message_recipient_limit = 20
qmgr_message_recipient_minimum = 5
slow_destination_recipient_limit = 7
slow_recipient_limit = 12
slow_extra_recipient_limit = 6
slow_recipient_refill_limit = 4
slow_recipient_refill_delay = 3600s
`

// batching sends a big message whose recipients are in reverse order
// in the queue file, and while its first request waits at the gate,
// smaller messages to the same destination; it returns the delivery
// requests.
func batching(t *testing.T, ourQmgr bool, cf string, big int, small ...int) result {
	g := newGated(t, ourQmgr, cf)
	g.send(1, "big", reversed(addrs("big", "slow.example", big))...)
	g.waitBlocked()
	total := big
	for i, n := range small {
		g.send(2+i, fmt.Sprintf("small %d", i), addrs(fmt.Sprintf("m%d-", i+1), "slow.example", n)...)
		total += n
	}
	return g.open(total)
}

func compareBatching(t *testing.T, cf string, big int, small ...int) {
	want := compare(t, func(t *testing.T, ourQmgr bool) result { return batching(t, ourQmgr, cf, big, small...) })
	t.Logf("real requests:\n%s\nqmgr:\n%s", strings.Join(want.requests, "\n"), strings.Join(want.qmgrLog, "\n"))
}

// TestRecipientBatches: the big message is read in batches as its
// slots free up, each batch sorted, filling the last waiting request;
// the small ones are read whole and preempt it.
func TestRecipientBatches(t *testing.T) {
	compareBatching(t, batchingCF, 40, 3, 9)
}

// stackCF reads the big message whole but leaves little room for the
// next ones, which are read partly and get the transport's extra
// recipient slots when they preempt it; one recipient per request.
const stackCF = `qmgr_message_active_limit = 50
qmgr_message_recipient_limit = 61
slow_destination_recipient_limit = 1
slow_recipient_limit = 70
slow_extra_recipient_limit = 8
slow_recipient_refill_limit = 3
slow_recipient_refill_delay = 3600s
`

// TestStackRecipientSlots: partly read messages preempt a big one,
// with refills from the slots of the job stack.
func TestStackRecipientSlots(t *testing.T) {
	compareBatching(t, stackCF, 60, 12, 6)
}
