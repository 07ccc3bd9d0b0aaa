package main

import (
	"os"
	"sort"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
)

// Per-delivery flags (SMTP_MISC_FLAG_*).
const (
	flagLoopDetect    = 1 << 0
	flagInStartTLS    = 1 << 1
	flagFirstNexthop  = 1 << 2
	flagFinalNexthop  = 1 << 3
	flagFinalServer   = 1 << 4
	flagConnLoad      = 1 << 5
	flagConnStore     = 1 << 6
	flagCompleteSess  = 1 << 7
	flagConnCacheMask = flagConnLoad | flagConnStore
)

// Recipient marks within one session (SMTP_RCPT_STATE_*).
const (
	rcptKeep = 1
	rcptDrop = 2
)

// rcpt is a recipient with its mark.
type rcpt struct {
	deliver.Recipient
	mark int
}

// iterator is where the client is connecting to (SMTP_ITERATOR): the
// nexthop element, the current server name, address and port.
type iterator struct {
	dest       string // nexthop element, as given
	host, addr string
	port       int
	mxName     string // the domain whose MX records were looked up, "" without
	mxDNSSEC   bool   // the MX lookup was DNSSEC-validated
	hostDNSSEC bool   // the server's address lookup was validated
}

// state is one delivery request in progress (SMTP_STATE).
type state struct {
	ag        *agent
	req       *deliver.Request
	src       *os.File
	service   string
	flags     int
	status    int
	why       dsn.DSN
	sess      *session
	it        iterator
	rcpts     []rcpt
	left      int // recipients still to deliver (the first "left" of rcpts)
	drop      int
	keep      int
	spaceLeft int
	loggedLen bool
	ehloReply response // the last EHLO/HELO/LHLO reply
	// savedFeatures are the session features before the greeting,
	// restored for the EHLO after STARTTLS.
	savedFeatures int

	tls          *tlsPolicy
	cacheNexthop string // the nexthop for the destination cache label
	cacheUsed    map[string]bool
}

func newState(ag *agent, req *deliver.Request, src *os.File, service string) *state {
	st := &state{ag: ag, req: req, src: src, service: service, cacheUsed: map[string]bool{}}
	for _, r := range req.Rcpts {
		st.rcpts = append(st.rcpts, rcpt{Recipient: r})
	}
	st.left = len(st.rcpts)
	return st
}

func (st *state) markDrop(r *rcpt) { r.mark = rcptDrop; st.drop++ }
func (st *state) markKeep(r *rcpt) { r.mark = rcptKeep; st.keep++ }

// rcptCleanup moves the recipients kept for the next server to the front
// and forgets the marks (smtp_rcpt_cleanup).
func (st *state) rcptCleanup() {
	if st.drop+st.keep != st.left {
		panic("smtp_rcpt_cleanup: recipient count mismatch")
	}
	list := st.rcpts[:st.left]
	if st.drop > 0 && st.keep > 0 {
		sort.SliceStable(list, func(i, j int) bool { return list[i].mark < list[j].mark })
	}
	st.left = st.keep
	for i := range st.rcpts[:st.left] {
		st.rcpts[i].mark = 0
	}
	st.drop, st.keep = 0, 0
}

// setWhy sets the status and reason, clearing the rest (dsb_simple).
func (st *state) setWhy(status, reason string) {
	st.why = dsn.DSN{Status: status, Reason: reason}
}

// hasSoft, hasHard: SMTP_HAS_SOFT_DSN, SMTP_HAS_HARD_DSN.
func (st *state) hasSoft() bool { return st.why.Status != "" && st.why.Status[0] == '4' }
func (st *state) hasHard() bool { return st.why.Status != "" && st.why.Status[0] == '5' }

// hasLoop is SMTP_HAS_LOOP_DSN: a "loops back to myself" status.
func (st *state) hasLoop() bool { return st.why.Status != "" && st.why.Status[1:] == ".4.6" }
