package main

import (
	"os"
	"time"

	"gopostfix/libglobal/deliver"
)

// message is a queue file in the active queue (QMGR_MESSAGE).
type message struct {
	flags          int // delivery problems: non-zero means "keep"
	qflags         int // scan flags
	tflags         int // trace flags
	tflagsOffset   int64
	rflags         int // queue file read flags
	fp             *os.File
	refcount       int // queue entries
	singleRcpt     bool
	arrival        time.Time
	createTime     int64
	activeTime     time.Time
	queuedTime     int64 // entry into the active queue, in seconds
	refillTime     int64 // last recipient read, in seconds
	warnOffset     int64
	warnTime       int64
	dataOffset     int64
	dataSize       int64
	contLength     int64
	rcptOffset     int64 // more recipients from here
	queueName      string
	queueID        string
	encoding       string
	sender         string
	haveSender     bool
	envID          string
	ret            int
	smtputf8       int
	verpDelims     string
	filterXport    string
	inspectXport   string
	redirectAddr   string
	clientName     string
	clientAddr     string
	clientPort     string
	clientProto    string
	clientHelo     string
	saslMethod     string
	saslUsername   string
	saslSender     string
	logIdent       string
	rewriteContext string
	rcpts          []*rcpt
	rcptCount      int // recipients in entries
	rcptLimit      int
	rcptUnread     int
	jobs           []*job // one per transport, in creation order
}

// rcpt is a recipient being resolved, with the queue it goes to.
type rcpt struct {
	deliver.Recipient
	queue *dqueue
}

// Queue file read flags (qmgr_user.h, qmgr.h).
const (
	readMixedRcptOther = 1 << 0
	readNotifySuccess  = deliver.NotifySuccess << 1
	readUserMask       = (deliver.NotifyNever|deliver.NotifySuccess|deliver.NotifyDelay|deliver.NotifyFailure)<<1 | readMixedRcptOther
	readSeenAllNonRcpt = 1 << 16
)

// stats returns the time stamps qmgr knows (QMGR_MSG_STATS).
func (m *message) stats() deliver.Stats {
	return deliver.Stats{IncomingArrival: m.arrival, ActiveArrival: m.activeTime}
}

// newMessage creates the in-memory message (qmgr_message_create).
func (q *qmgr) newMessage(queueName, id string, qflags int) *message {
	q.messageCount++
	now := time.Now()
	return &message{qflags: qflags, rflags: readMixedRcptOther, activeTime: now, queuedTime: now.Unix(),
		queueName: queueName, queueID: id, rcptLimit: q.cfg.msgRcptLimit}
}

// freeMessage forgets a message (qmgr_message_free).
func (q *qmgr) freeMessage(m *message) {
	if m.refcount != 0 {
		panic("qmgr_message_free: reference len")
	}
	if m.fp != nil {
		panic("qmgr_message_free: queue file is open")
	}
	for len(m.jobs) > 0 {
		q.freeJob(m.jobs[0])
	}
	q.messageCount--
	if m.tflags&deliver.FlagMTAVrfy != 0 {
		q.vrfyPendCount--
	}
}

// open opens the queue file read-write (qmgr_message_open); a missing
// file is a warning, anything else fatal.
func (q *qmgr) openMessage(m *message) bool {
	f, err := q.layout.Open(m.queueName, m.queueID, os.O_RDWR, 0)
	if err != nil {
		if !isNotExist(err) {
			q.fatal("open %s %s: %s", m.queueName, m.queueID, strerror(err))
		}
		q.log.Warnf("open %s %s: %s", m.queueName, m.queueID, strerror(err))
		return false
	}
	m.fp = f
	return true
}

func (m *message) close() {
	if m.fp != nil {
		m.fp.Close()
		m.fp = nil
	}
}
