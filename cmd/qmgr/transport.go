package main

import (
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/dsn"
)

// maxPending is the number of delivery agent connections a transport
// may have in progress (QMGR_TRANSPORT_MAX_PEND).
const maxPending = 2

// transport is one delivery transport (QMGR_TRANSPORT).
type transport struct {
	name            string
	dead            bool
	rateLock        bool
	pending         int
	destConcLimit   int
	initDestConc    int
	rcptLimit       int
	xportRateDelay  time.Duration
	rateDelay       time.Duration
	refillLimit     int
	refillDelay     time.Duration
	queues          []*dqueue // round-robin order
	byName          map[string]*dqueue
	dsn             *dsn.DSN
	unthrottleTimer *timer
	pos, neg        feedback
	failCohortLimit int

	// The job scheduler (see schedule.go).
	jobs             dlist[job] // scheduler order
	byTime           dlist[job] // by time of entry into the active queue
	jobByID          map[string]*job
	current          *job // where the next selection starts
	nextUnread       *job // first job with recipients still to read
	candCache        *job // last candidate found for candCacheCurrent
	candCacheCurrent *job
	candCacheTime    int64
	blockerTag       int
	rcptUnused       int // in-core recipient slots nobody holds
	rcptPerStack     int // extra slots for preempting jobs
	slotCost         int
	slotLoan         int
	slotLoanFactor   int // percent: 100 - delivery_slot_discount
	minSlots         int
}

// feedback is a concurrency feedback setting (QMGR_FEEDBACK).
type feedback struct {
	base    float64
	perWin  bool // divide by the window
	hysteri int
}

func (f feedback) value(window int) float64 {
	if f.perWin {
		return f.base / float64(window)
	}
	return f.base
}

// parseFeedback reads "N", "N/concurrency" or "N/M" (qmgr_feedback_init).
func (q *qmgr) parseFeedback(name, suffix, defName, def string) feedback {
	val, err := q.cfg.transportStr(name, suffix, def)
	if err != nil {
		q.fatal("%v", err)
	}
	return parseFeedbackValue(q, name+suffix, defName, val, def)
}

// parseFeedbackValue parses the value of parameter fname (default def,
// named defName when the value is the default).
func parseFeedbackValue(q *qmgr, fname, defName, val, def string) feedback {
	fb := feedback{base: -1, hysteri: 1}
	num, den, slash := strings.Cut(strings.TrimSpace(val), "/")
	num, den = strings.TrimSpace(num), strings.TrimSpace(den)
	if n, err := strconv.ParseFloat(num, 64); err == nil {
		switch {
		case !slash:
			fb.base = n
		case den == "concurrency":
			fb.base, fb.perWin = n, true
		default:
			if d, err := strconv.ParseFloat(den, 64); err == nil && n >= 0 && d >= 1.0/2147483647 {
				fb.base = n / d
			}
		}
	}
	if fb.base < 0 || fb.base > 1 {
		shown := defName
		if val != def {
			shown = fname
		}
		q.log.Warnf("%s: ignoring malformed or unreasonable feedback: %s", shown, val)
		fb = feedback{base: 1, hysteri: 1}
	}
	return fb
}

// findTransport returns the transport named name, creating it with its
// parameters (qmgr_transport_find, qmgr_transport_create).
func (q *qmgr) findTransport(name string) *transport {
	if t := q.byName[name]; t != nil {
		return t
	}
	c := q.cfg
	geti := func(suffix string, def, min int) int {
		v, err := c.transportInt(name, suffix, def, min, 0)
		if err != nil {
			q.fatal("%v", err)
		}
		return v
	}
	gett := func(suffix string, def time.Duration, min int) time.Duration {
		v, err := c.transportTime(name, suffix, def, min)
		if err != nil {
			q.fatal("%v", err)
		}
		return v
	}
	t := &transport{name: name, byName: map[string]*dqueue{}, jobByID: map[string]*job{},
		jobs: newList(schedLinks), byTime: newList(timeLinks), blockerTag: 1}
	t.destConcLimit = geti("_destination_concurrency_limit", c.destConcLimit, 0)
	t.rcptLimit = geti("_destination_recipient_limit", c.destRcptLimit, 0)
	t.initDestConc = geti("_initial_destination_concurrency", c.initDestConc, 1)
	t.xportRateDelay = gett("_transport_rate_delay", c.xportRateDelay, 0)
	t.rateDelay = gett("_destination_rate_delay", c.destRateDelay, 0)
	if t.rateDelay > 0 {
		t.destConcLimit = 1
	}
	if t.destConcLimit != 0 && t.destConcLimit < t.initDestConc {
		t.initDestConc = t.destConcLimit
	}
	t.slotCost = geti("_delivery_slot_cost", c.slotCost, 0)
	t.slotLoan = geti("_delivery_slot_loan", c.slotLoan, 0)
	discount, err := c.transportInt(name, "_delivery_slot_discount", c.slotDiscount, 0, 100)
	if err != nil {
		q.fatal("%v", err)
	}
	t.slotLoanFactor = 100 - discount
	t.minSlots = geti("_minimum_delivery_slots", c.minSlots, 0)
	t.rcptUnused = geti("_recipient_limit", c.xportRcptLimit, 0)
	t.rcptPerStack = geti("_extra_recipient_limit", c.stackRcptLimit, 0)
	t.refillLimit = geti("_recipient_refill_limit", c.refillLimit, 1)
	t.refillDelay = gett("_recipient_refill_delay", c.refillDelay, 1)
	t.pos = q.parseFeedback(name, "_destination_concurrency_positive_feedback",
		"default_destination_concurrency_positive_feedback", c.posFeedback)
	t.neg = q.parseFeedback(name, "_destination_concurrency_negative_feedback",
		"default_destination_concurrency_negative_feedback", c.negFeedback)
	t.failCohortLimit = geti("_destination_concurrency_failed_cohort_limit", c.cohortLimit, 0)
	q.byName[name] = t
	q.transports = append([]*transport{t}, q.transports...)
	q.log.Debugf("qmgr_transport_create: %s concurrency %d recipients %d", name, t.destConcLimit, t.rcptLimit)
	return t
}

// throttleTransport marks a transport dead for transport_retry_time
// (qmgr_transport_throttle).
func (q *qmgr) throttleTransport(t *transport, d dsn.DSN) {
	if t.dead {
		return
	}
	q.log.Debugf("qmgr_transport_throttle: transport %s: status: %s reason: %s", t.name, d.Status, d.Reason)
	t.dead = true
	t.dsn = &d
	t.unthrottleTimer = q.after(q.cfg.transportRetry, func() { q.unthrottleTransport(t) })
}

// unthrottleTransport revives a transport (qmgr_transport_unthrottle).
func (q *qmgr) unthrottleTransport(t *transport) {
	if t.dead {
		t.dead = false
		t.dsn = nil
		t.unthrottleTimer.cancel()
		t.unthrottleTimer = nil
	}
	t.rateLock = false
}

// selectTransport picks a transport with work and an agent slot
// (qmgr_transport_select), round robin.
func (q *qmgr) selectTransport() *transport {
	for i, t := range q.transports {
		if t.dead || t.rateLock || t.pending >= maxPending {
			continue
		}
		need := t.pending + 1
		for _, dq := range t.queues {
			if !dq.ready() {
				continue
			}
			if need -= min(dq.window-dq.busy, dq.todoCount()); need <= 0 {
				q.transports = append(append(q.transports[i+1:len(q.transports):len(q.transports)], q.transports[:i]...), t)
				return t
			}
		}
	}
	return nil
}

// activeDrain starts deliveries while transports can take them
// (qmgr_active_drain).
func (q *qmgr) activeDrain() {
	for t := q.selectTransport(); t != nil; t = q.selectTransport() {
		q.allocAgent(t)
	}
}

// enableAll revives every transport and destination (qmgr_enable_all).
func (q *qmgr) enableAll() {
	for _, t := range q.transports {
		if t.dead {
			q.log.Debugf("enable transport %s", t.name)
			q.unthrottleTransport(t)
		}
		for _, dq := range append([]*dqueue(nil), t.queues...) {
			if dq.throttled() {
				q.log.Debugf("enable site %s/%s", t.name, dq.name)
				q.unthrottleQueue(dq)
			}
			if dq.ready() && dq.empty() {
				q.queueDone(dq)
			}
		}
	}
}
