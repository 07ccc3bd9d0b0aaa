package main

import (
	"bufio"
	"os"
	"time"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/mime"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
)

// Input flags a client sends (libglobal/cleanup).
const (
	flagBounce   = cleanup.FlagBounce
	flagFilter   = cleanup.FlagFilter
	flagHold     = cleanup.FlagHold
	flagDiscard  = cleanup.FlagDiscard
	flagBccOK    = cleanup.FlagBccOK
	flagMapOK    = cleanup.FlagMapOK
	flagMilter   = cleanup.FlagMilter
	flagSMTPRply = cleanup.FlagSMTPReply
	flagSMTPUTF8 = cleanup.FlagSMTPUTF8
	flagAutoUTF8 = cleanup.FlagAutoUTF8

	flagMaskExtra = flagHold | flagDiscard
	flagFilterAll = flagFilter | flagMilter
	// Internal state bits above the client's.
	flagInRcpt   = 1 << 16
	flagWarnSeen = 1 << 17
	flagEndSeen  = 1 << 18
	flagVerpSeen = 1 << 19
)

// Status bits of the reply (libglobal/cleanup).
const (
	statBad   = cleanup.StatBad
	statWrite = cleanup.StatWrite
	statSize  = cleanup.StatSize
	statCont  = cleanup.StatCont
	statHops  = cleanup.StatHops
	statRcpt  = cleanup.StatRcpt
	statDefer = cleanup.StatDefer

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
	cfg *config
	// The client and the reader of its records, for milters smtpd hands
	// over in the middle of the records.
	conn    *attr.Conn
	in      *record.Reader
	entry   *queue.Entry
	file    *os.File
	buf     *bufio.Writer
	w       *record.Writer
	queueID string
	ctime   time.Time

	flags int
	errs  int
	// streamErr: writing the queue file failed (not for its size), so
	// closing it fails too (mail_stream_cleanup's "close error").
	streamErr bool
	errMask   int
	seg       segment
	started   bool

	sender     *string
	recip      *string
	origRcpt   *string
	dsnOrcpt   *string
	dsnNotify  int
	fullname   *string
	arrival    int64
	arrivalUs  int64 // microseconds of the arrival time
	dsnEnvID   string
	dsnRet     int
	verpDelims string
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
	contLength int64 // the content length field: xtra-data, or as edited
	dups       map[string]bool

	// the message content goes through the MIME parser
	mime     *mime.State
	mimeErrs int

	// Milter support (cleanup_milter.c): the milters smtpd handed over,
	// the places reserved in the queue file for in-place edits and the
	// client information the macros and log lines use.
	mil milterState
}

func (st *state) outOK() bool { return st.errs&st.errMask == 0 && st.flags&flagDiscard == 0 }

func strp(s string) *string { return &s }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
