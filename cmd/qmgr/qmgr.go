package main

import (
	"sync"
	"time"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// qmgr is the queue manager's state. Everything in it belongs to the
// goroutine running run, which also talks to the delivery agents; other
// goroutines (the trigger service, timers, bounce service conversations)
// hand work to it through its event loop.
type qmgr struct {
	s        *libmaster.Server
	log      *msg.Logger
	cfg      *config
	layout   *queue.Layout
	status   *bounce.Client
	rw       *rewrite.Client
	resolved resolveCache        // trivial-rewrite's last answer
	dog      *libmaster.Watchdog // nil until run starts
	// dogStarted is when dog was last started; zero while it is
	// stopped.
	dogStarted time.Time

	ev     eventLoop
	agents map[int]*agent // by descriptor, while the loop watches them
	// spareStreams are closed agent streams whose buffers can be reused.
	spareStreams []*attr.Conn
	// spareReader is a queue file reader whose buffer can be reused.
	spareReader *record.Reader
	// Triggers arrive on another goroutine; they are merged here and
	// never wait for the manager.
	trigMu     sync.Mutex
	trigFlags  [2]int
	trigQueued bool // takeTriggers is posted

	scans      [2]*scan // incoming, deferred
	firstScan  int
	transports []*transport // round-robin order
	byName     map[string]*transport

	messageCount   int // messages in memory
	recipientCount int // recipients in memory
	vrfyPendCount  int // address verification probes in memory
	queueCount     int // destination queues
	deliverCount   int // delivery agents in use
}

const (
	scanIncoming = 0
	scanDeferred = 1
)

// watchdogSteps is the number of alarms a watchdog timeout is split
// into (watchdog.c).
const watchdogSteps = 3

func newQmgr(s *libmaster.Server) (*qmgr, error) {
	cfg, err := readConfig(s)
	if err != nil {
		return nil, err
	}
	l, err := queue.NewLayout("", s.Config)
	if err != nil {
		return nil, err
	}
	st, err := bounce.New(s.Log, s.Config, nil)
	if err != nil {
		return nil, err
	}
	s.IPCTimeout = cfg.ipcTimeout
	st.Timeout = cfg.ipcTimeout
	q := &qmgr{s: s, log: s.Log, cfg: cfg, layout: l, status: st,
		rw:     rewrite.NewClient(s.QueueDir, cfg.rewriteService, s.Log),
		agents: map[int]*agent{}, byName: map[string]*transport{}}
	if err := q.ev.init(); err != nil {
		return nil, err
	}
	// The manager waits for trivial-rewrite's answers in a blocking
	// read, as for the delivery agents, outside the Go poller.
	q.rw.Blocking()
	q.rw.SetTimeout(cfg.ipcTimeout)
	s.NoLimits()
	q.move(queue.Active, queue.Incoming, time.Now())
	q.scans[scanIncoming] = &scan{queue: queue.Incoming}
	q.scans[scanDeferred] = &scan{queue: queue.Deferred}
	q.scanRequest(q.scans[scanIncoming], scanStart)
	q.deferredRunEvent()
	return q, nil
}

// post hands fn to the manager goroutine.
func (q *qmgr) post(fn func()) { q.ev.post(fn) }

// timer is a cancellable one-shot event.
type timer struct {
	t        *time.Timer
	canceled bool
}

// after runs fn on the manager goroutine after d, unless cancelled.
func (q *qmgr) after(d time.Duration, fn func()) *timer {
	tm := &timer{}
	tm.t = time.AfterFunc(d, func() {
		q.post(func() {
			if !tm.canceled {
				fn()
			}
		})
	})
	return tm
}

// cancel stops a timer; it may be nil.
func (tm *timer) cancel() {
	if tm != nil {
		tm.canceled = true
		tm.t.Stop()
	}
}

// async runs fn (a conversation with another service) off the manager
// goroutine and then cont with its result on it, as abounce does.
func (q *qmgr) async(fn func() int, cont func(int)) {
	go func() {
		st := fn()
		q.post(func() { cont(st) })
	}()
}

// run is the event loop (qmgr_loop after every event). The trigger
// server skeleton runs the queue manager under a watchdog of
// qmgr_daemon_timeout, counted in three steps of a third each, whose
// every step wakes up an idle event loop: so only a round that does not
// return to waiting for events within about that time is fatal.
func (q *qmgr) run() {
	secs := int(q.cfg.daemonTimeout / time.Second)
	if secs/watchdogSteps == 0 {
		q.log.Panicf("watchdog_create: timeout %d is too small", secs)
	}
	q.dog = libmaster.NewWatchdog(time.Duration(secs/watchdogSteps*watchdogSteps)*time.Second, q.log)
	for {
		q.dogStart()
		q.activeDrain()
		if q.feed() {
			// More mail may be waiting: handle what arrived, don't wait.
			q.handleEvents(false)
			continue
		}
		q.handleEvents(true)
	}
}

// watchdogSlack is how recently a running watchdog may have been
// started for dogStart to leave it alone: a busy loop goes round once
// per message, and every restart makes a new runtime timer. The process
// may then die that much before its qmgr_daemon_timeout (three seconds
// at least) is up.
const watchdogSlack = 100 * time.Millisecond

// dogStart (re)starts the watchdog for a round of the event loop.
func (q *qmgr) dogStart() {
	now := time.Now()
	if !q.dogStarted.IsZero() && now.Sub(q.dogStarted) < watchdogSlack {
		return
	}
	q.dog.Start()
	q.dogStarted = now
}

// handleEvents runs the events that are ready: posted work and input
// from delivery agents. With wait set and nothing ready, it first sleeps
// in the event loop until something happens.
func (q *qmgr) handleEvents(wait bool) {
	var ready []int
	if wait && q.ev.sleep() {
		ms := q.agentTimeouts()
		q.dog.Stop()
		q.dogStarted = time.Time{}
		ready = q.ev.poll(ms)
		q.ev.awake()
		q.dogStart()
		q.agentTimeouts()
	} else if len(q.agents) > 0 {
		ready = q.ev.poll(0)
	}
	for _, fd := range ready {
		if a := q.agents[fd]; a != nil {
			q.agentEvent(a)
		}
	}
	for fns := q.ev.take(); len(fns) > 0; fns = q.ev.take() {
		for i, fn := range fns {
			fns[i] = nil
			fn()
		}
	}
}

// feed lets one message into the active queue while there is room,
// alternating between the scans (qmgr_loop). It reports whether a scan
// produced a file, in which case the loop must not wait.
func (q *qmgr) feed() bool {
	busy, fed := false, false
	last := len(q.scans) - 1
	for i := 0; q.messageCount < q.cfg.activeLimit && i < len(q.scans); i++ {
		last = (i + q.firstScan) % len(q.scans)
		if id := q.scanNext(q.scans[last]); id != "" {
			busy = true
			if fed = q.activeFeed(q.scans[last], id); fed {
				break
			}
		}
	}
	if q.messageCount < q.cfg.activeLimit {
		q.firstScan = (last + 1) % len(q.scans)
	} else {
		q.firstScan = scanIncoming
	}
	q.flowControl(fed && last == scanIncoming)
	return busy
}

// deferredRunEvent starts a deferred queue scan every queue_run_delay.
func (q *qmgr) deferredRunEvent() {
	q.scanRequest(q.scans[scanDeferred], scanStart)
	q.after(q.cfg.queueRunDelay, q.deferredRunEvent)
}

// trigger handles the bytes of one trigger (qmgr_trigger_event); it runs
// on the trigger service's goroutine and passes the work on.
func (q *qmgr) trigger(buf []byte) {
	if len(q.s.Flags.Args) > 0 {
		q.fatal("unexpected command-line argument: %s", q.s.Flags.Args[0])
	}
	incoming, deferred := 0, 0
	for _, c := range buf {
		q.log.Debugf("request: %d (%c)", c, printable(c))
		switch c {
		case 'W', 'I':
			incoming |= scanStart
		case 'D':
			deferred |= scanStart
		case 'F':
			incoming |= flushOnce | flushDfxp
			deferred |= flushOnce | flushDfxp
		case 'A':
			incoming |= scanAll
			deferred |= scanAll
		default:
			q.log.Debugf("request ignored")
		}
	}
	q.trigMu.Lock()
	q.trigFlags[scanIncoming] |= incoming
	q.trigFlags[scanDeferred] |= deferred
	queued := q.trigQueued
	q.trigQueued = true
	q.trigMu.Unlock()
	if !queued {
		q.post(q.takeTriggers)
	}
}

// takeTriggers applies the triggers that arrived since the last call.
func (q *qmgr) takeTriggers() {
	q.trigMu.Lock()
	flags := q.trigFlags
	q.trigFlags = [2]int{}
	q.trigQueued = false
	q.trigMu.Unlock()
	for i, f := range flags {
		if f != 0 {
			q.scanRequest(q.scans[i], f)
		}
	}
}

func printable(c byte) byte {
	if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		return c
	}
	return '?'
}
