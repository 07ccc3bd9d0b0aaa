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
// Deliberate differences: the job scheduler keeps messages in
// first-come order per transport without Postfix's preemption slots
// (delivery_slot_cost, delivery_slot_loan, delivery_slot_discount,
// minimum_delivery_slots, transport_recipient_limit and
// transport_extra_recipient_limit are read but do not change the
// order); the qmgr_daemon_timeout watchdog is not implemented.
package main

import (
	"os"

	"gopostfix/libmaster"
)

func main() {
	var q *qmgr
	libmaster.TriggerServerMain(os.Args, func(s *libmaster.Server, buf []byte) {
		q.trigger(buf)
	}, libmaster.Options{
		Solitary: true,
		PostInit: func(s *libmaster.Server) (err error) {
			if q, err = newQmgr(s); err != nil {
				return err
			}
			go q.run()
			return nil
		},
	})
}
