// Command qmgr is the Postfix queue manager (qmgr(8), the "nqmgr"
// scheduler): it moves mail from the incoming and deferred queues into
// the active queue, resolves each recipient with trivial-rewrite(8),
// groups recipients per transport and destination, and hands them to
// the delivery agents over the delivery request protocol, with
// per-destination concurrency windows (slow start, positive and negative
// feedback, dead-destination throttling), recipient limits, retry
// back-off, queue lifetimes, delay warnings, and the bounce, defer and
// trace reports at the end of each delivery round.
//
// qmgr is a trigger server: "I" or "W" starts an incoming queue scan,
// "D" a deferred queue scan, "A" ignores future time stamps and "F"
// forgets dead transports and destinations (postqueue -f sends "FADI").
//
// Each transport schedules its jobs (one per message) preemptively, as
// Postfix's nqmgr does: the oldest job is delivered first, and every
// entry it delivers earns it a delivery slot; when it has earned
// delivery_slot_cost slots for each entry of a smaller job queued later
// (delivery_slot_loan and delivery_slot_discount let that happen
// earlier), the smaller job preempts it. Jobs with fewer than
// minimum_delivery_slots times the cost are never preempted, and a
// cost below 2 turns preemption off. Jobs whose destinations are all at
// their concurrency limit are skipped until one of them has room. The
// recipients of a message are read into memory in batches: at most
// qmgr_message_recipient_limit in total, at least
// qmgr_message_recipient_minimum per message, and per transport the
// TRANSPORT_recipient_limit slots lent to the oldest job still
// reading (TRANSPORT_extra_recipient_limit more for preempting jobs),
// refilled in batches of TRANSPORT_recipient_refill_limit or after
// TRANSPORT_recipient_refill_delay; each delivery request carries at
// most TRANSPORT_destination_recipient_limit recipients. Every
// TRANSPORT_ parameter defaults to its default_ counterpart and may be
// set in main.cf or with -o.
//
// A watchdog ends the process when one round of the event loop takes
// longer than qmgr_daemon_timeout (at least 3 seconds; waiting for
// events does not count); a delivery agent that does not reply within
// daemon_timeout is fatal, and conversations with other services time
// out after qmgr_ipc_timeout.
//
// As in Postfix, the fudge factor of the old queue manager (oqmgr) is
// not read. Deliberate differences: a panic (such as a qmgr_daemon_timeout
// that is too small) exits with status 2 instead of an abort signal; and
// while the event loop is busy the watchdog is restarted at most every
// 100 milliseconds, so a round may be cut short that much before
// qmgr_daemon_timeout is up.
package main

import (
	"os"
	"time"

	"gopostfix/libmaster"
)

func main() {
	var q *qmgr
	libmaster.TriggerServerMain(os.Args, func(s *libmaster.Server, buf []byte) {
		q.trigger(buf)
	}, libmaster.Options{
		Solitary: true,
		// The monitor thread of the Go runtime wakes up to every 20us
		// while qmgr is busy; a slack lets the kernel batch those
		// wake-ups. qmgr's own timers work in seconds.
		TimerSlack: 50 * time.Millisecond,
		// Triggers (one per message from cleanup) are accepted and read
		// outside the Go network poller.
		BlockingIO: true,
		PostInit: func(s *libmaster.Server) (err error) {
			if q, err = newQmgr(s); err != nil {
				return err
			}
			go q.run()
			return nil
		},
	})
}
