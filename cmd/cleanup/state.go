package main

import (
	"bufio"
	"os"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// Input flags a client sends (cleanup_user.h CLEANUP_FLAG_*).
const (
	flagBounce   = 1 << 0
	flagFilter   = 1 << 1
	flagHold     = 1 << 2
	flagDiscard  = 1 << 3
	flagBccOK    = 1 << 4
	flagMapOK    = 1 << 5
	flagMilter   = 1 << 6
	flagSMTPRply = 1 << 7
	flagSMTPUTF8 = 1 << 8
	flagAutoUTF8 = 1 << 9

	flagMaskExtra = flagHold | flagDiscard
	flagFilterAll = flagFilter | flagMilter
	// Internal state bits above the client's.
	flagInRcpt   = 1 << 16
	flagWarnSeen = 1 << 17
	flagEndSeen  = 1 << 18
	flagVerpSeen = 1 << 19
)

// Status bits of the reply (CLEANUP_STAT_*).
const (
	statBad    = 1 << 0
	statWrite  = 1 << 1
	statSize   = 1 << 2
	statCont   = 1 << 3
	statHops   = 1 << 4
	statRcpt   = 1 << 6
	statProxy  = 1 << 7
	statDefer  = 1 << 8
	statNoPerm = 1 << 9

	// Errors that stop output (CLEANUP_OUT_OK) for a client that cannot
	// bounce, and the ones that stop it for everybody.
	statMaskCantBounce = statBad | statWrite | statDefer | statRcpt
	statMaskIncomplete = statBad | statWrite | statSize | statDefer
)

// SMTPUTF8 bits of the size record (SMTPUTF8_FLAG_*).
const (
	utf8Requested = 1 << 0
	utf8Header    = 1 << 1
	utf8Sender    = 1 << 2
)

// segment is the part of the input being processed.
type segment int

const (
	segEnvelope segment = iota
	segHeaders
	segBody
	segExtracted
)

// state is one message being received (CLEANUP_STATE).
type state struct {
	cfg     *config
	entry   *queue.Entry
	file    *os.File
	buf     *bufio.Writer
	w       *record.Writer
	queueID string
	ctime   time.Time

	flags   int
	errs    int
	errMask int
	seg     segment
	started bool

	sender     *string
	recip      *string
	origRcpt   *string
	dsnOrcpt   *string
	dsnNotify  int
	fullname   *string
	arrival    int64
	attrs      map[string]string
	attrCount  int
	hdrContext string
	reason     string
	smtpReply  string
	filter     string
	redirect   string
	hbcRcpt    []string
	resent     string
	hopCount   int
	seen       uint64
	tflags     int
	smtputf8   int
	qmgrOpts   int
	rcptCount  int
	dataOffset int64
	xtraOffset int64
	dups       map[string]bool

	// header reassembly
	hdrBuf    []byte
	hdrActive bool
	hdrCont   bool
	prevCont  bool
	bodyOff   int64
}

func (st *state) outOK() bool { return st.errs&st.errMask == 0 && st.flags&flagDiscard == 0 }

func strp(s string) *string { return &s }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
