package smtpd

import (
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/smtpreply"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/stringops"
	"gopostfix/libtls"
)

// Client identifies the SMTP client of a session.
type Client struct {
	Name        string // verified client hostname or "unknown"
	ReverseName string // reverse lookup result or "unknown"
	Addr        string // printable IP address
	Port        string
	ServerAddr  string
	ServerPort  string
	// NameStatus and ReverseNameStatus say why a name is "unknown"
	// (Postfix's SMTPD_PEER_CODE_*); PeerOK when it is known.
	NameStatus, ReverseNameStatus int
}

// Peer name status codes (smtpd.h SMTPD_PEER_CODE_*).
const (
	PeerOK     = 2
	PeerTemp   = 4
	PeerPerm   = 5
	PeerForged = 6
)

// Session flags.
const (
	flagHangup = 1 << iota
	flagIllPipelining
	flagSMTPUTF8
)

// Session is one SMTP conversation.
type Session struct {
	cfg  *Config
	deps *Deps
	log  *msg.Logger
	s    *stream

	// StandAlone is Postfix's -S mode: no restrictions, no address checks.
	StandAlone bool
	Service    string

	client       Client
	namaddr      string
	heloName     string
	protocol     string
	where        string
	reason       string
	flags        int
	errorCount   int
	junkCmds     int
	accessDenied string
	discardMask  int
	xclientOK    bool
	xforwardOK   bool
	// realXclientOK is XCLIENT permission of the real client (it exempts
	// the session from anvil); anvilAddr is the address anvil counted.
	realXclientOK bool
	anvilAddr     string
	// sockAddr is the address of the connection's peer (after a PROXY
	// protocol header, not changed by XCLIENT), Postfix's
	// state->sockaddr.
	sockAddr string
	// tls describes the TLS session after STARTTLS.
	tls *libtls.Info
	// The SASL login (AUTH) and the AUTH= sender of the transaction.
	saslUser, saslMethod, saslSender string
	xforward                         xforwardAttrs

	// The mail transaction.
	inMail        bool
	sender        string
	msgSize       int64
	actSize       int64
	encoding      string
	dsnRet        string
	dsnEnvid      string
	recipient     string
	rcptCount     int
	rcptOvershoot int
	queueID       string
	msg           Message
	err           int // CLEANUP_STAT_* of the message being received
	bdat          *bdatState
	instance      string
	seqno         int
	arrival       time.Time

	// Restriction state carried through one transaction.
	check checkState

	stats        [numCommands + 1]cmdStats
	seenLastPipe bool

	// The Milters of the session (nil without smtpd_milters), smtpd's
	// own reject reply of the recipient being reported, whether the MAIL
	// event must be undone at the end of the transaction, and the
	// client's connection count (anvil) for {client_connections}.
	// rewriteContext is local_header_rewrite_clients' verdict for the
	// client (checkRewrite).
	rewriteContext string

	// cmdLine is the command line being executed (after
	// smtpd_command_filter); proxyMail is the client's MAIL FROM line
	// for a before-queue filter and proxy the filter connection of the
	// transaction.
	cmdLine   string
	proxyMail string
	proxy     *proxy

	milters          Milters
	milterRejectText string
	needMilterAbort  bool
	connCount        int

	// history is the conversation kept for a postmaster notice and
	// errMask the error classes seen since it was last reset.
	history []string
	errMask int
}

type cmdStats struct{ ok, total int }

// NewSession prepares a session for conn, whose client identity was
// already established (peer lookup, PROXY protocol and XCLIENT may change
// it later).
func NewSession(cfg *Config, deps *Deps, conn net.Conn, client Client) *Session {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Sleep == nil {
		deps.Sleep = time.Sleep
	}
	ss := &Session{cfg: cfg, deps: deps, log: deps.Log, Service: "smtp"}
	ss.s = newStream(conn, cfg.Timeout, deps.Now)
	ss.s.deadline, ss.s.minRate = cfg.ReqDeadline, cfg.MinDataRate
	ss.setClient(client)
	ss.realXclientOK = ss.xclientOK
	ss.sockAddr = ss.client.Addr
	ss.protocol = "SMTP"
	ss.where = "CONNECT"
	return ss
}

// setClient installs a client identity and derives what depends on it.
func (ss *Session) setClient(c Client) {
	if c.Name == "" {
		c.Name = "unknown"
	}
	if c.ReverseName == "" {
		c.ReverseName = c.Name
	}
	c.NameStatus = nameStatus(c.Name, c.NameStatus)
	c.ReverseNameStatus = nameStatus(c.ReverseName, c.ReverseNameStatus)
	ss.client = c
	ss.namaddr = ss.buildNamaddr(c.Name, c.Addr, c.Port)
	ss.xclientOK = ss.hostListMatch("smtpd_authorized_xclient_hosts", ss.cfg.XclientHosts)
	ss.xforwardOK = ss.hostListMatch("smtpd_authorized_xforward_hosts", ss.cfg.XforwardHosts)
	ss.s.bareLFMode = ss.cfg.BareLF
	if ss.cfg.BareLF != bareLFNo && ss.hostListMatch("smtpd_forbid_bare_newline_exclusions", ss.cfg.BareLFExcl) {
		ss.s.bareLFMode = bareLFNo
	}
}

// buildNamaddr is SMTPD_BUILD_NAMADDRPORT: "name[addr]", with ":port"
// when smtpd_client_port_logging is on.
func (ss *Session) buildNamaddr(name, addr, port string) string {
	s := name + "[" + addr + "]"
	if ss.cfg.ClientPortLogging && port != "" {
		s += ":" + port
	}
	return s
}

// nameStatus fills in a missing status: known names are OK, "unknown"
// is a permanent failure.
func nameStatus(name string, st int) int {
	switch {
	case st != 0:
		return st
	case name == "unknown":
		return PeerPerm
	}
	return PeerOK
}

// hostListMatch matches the client against a host list; lookup errors
// count as no match.
func (ss *Session) hostListMatch(param string, patterns []string) bool {
	if len(patterns) == 0 || ss.deps.HostList == nil {
		return false
	}
	hl, err := ss.deps.HostList(param, patterns)
	if err != nil {
		ss.log.Warnf("%s: %v", param, err)
		return false
	}
	ok, err := hl.Match(ss.client.Name, ss.client.Addr)
	return ok && err == nil
}

// reply sends a reply line (or several, separated by CRLF in text), as
// smtpd_chat_reply: sleep when the error count is high, soft_bounce,
// hang-up after 421/521.
func (ss *Session) reply(text string) {
	if ss.errorCount >= ss.cfg.SoftErrLim && ss.cfg.ErrSleep > 0 {
		ss.s.flush()
		ss.deps.Sleep(ss.cfg.ErrSleep)
	}
	lines := strings.Split(ss.rejectFooter(text), "\r\n")
	for i, line := range lines {
		b := []byte(line)
		if ss.cfg.SoftBounce && len(b) > 0 && b[0] == '5' {
			b[0] = '4'
			if len(b) > 4 && b[4] == '5' {
				b[4] = '4'
			}
		}
		if i < len(lines)-1 && len(b) > 3 {
			b[3] = '-'
		}
		ss.chatAppend("Out: ", string(b))
		ss.s.write(string(b) + "\r\n")
	}
	if ss.deps.Now().Sub(ss.s.lastFlush) > 10*time.Second {
		if err := ss.s.flush(); err != nil {
			panic(ioAbort(err))
		}
	}
	if strings.HasPrefix(text, "421") || strings.HasPrefix(text, "521") {
		ss.flags |= flagHangup
	}
}

// replyf formats and sends a reply.
func (ss *Session) replyf(format string, args ...any) {
	ss.reply(fmt.Sprintf(format, args...))
}

// sendReply sends a typed reply.
func (ss *Session) sendReply(r smtpreply.Reply) { ss.reply(r.String()) }

// queueIDOrNone is the queue ID for log lines.
func (ss *Session) queueIDOrNone() string {
	if ss.queueID != "" {
		return ss.queueID
	}
	return "NOQUEUE"
}

// whatsup is the "; from=<..> to=<..> proto=.. helo=<..>" log suffix.
func (ss *Session) whatsup() string {
	var b strings.Builder
	if ss.check.sender != nil {
		fmt.Fprintf(&b, " from=<%s>", logAddr(*ss.check.sender))
	} else if ss.inMail {
		fmt.Fprintf(&b, " from=<%s>", logAddr(ss.sender))
	}
	if ss.check.recipient != nil {
		fmt.Fprintf(&b, " to=<%s>", logAddr(*ss.check.recipient))
	} else if ss.recipient != "" {
		fmt.Fprintf(&b, " to=<%s>", logAddr(ss.recipient))
	}
	fmt.Fprintf(&b, " proto=%s", ss.protocol)
	if ss.heloName != "" {
		fmt.Fprintf(&b, " helo=<%s>", ss.heloName)
	}
	return b.String()
}

// logAddr is an address as info_log_address_format = external shows it:
// the local part quoted as in a message header.
func logAddr(addr string) string {
	if addr == "" {
		return ""
	}
	return printable(tok822.QuoteLocal(addr, tok822.QuoteDefault))
}

// smtpdWhatsup is smtpd.c's own smtpd_whatsup, used by the Milter and
// filter log lines: the suffix above and the SASL login.
func (ss *Session) smtpdWhatsup() string {
	if ss.saslUser == "" {
		return ss.whatsup()
	}
	return ss.whatsup() + " sasl_username=<" + ss.saslUser + ">"
}

// logWhatsup logs an access decision: "QUEUEID: action: WHERE from
// namaddr: text; from=<...> ...".
func (ss *Session) logWhatsup(action, text string) {
	ss.log.Infof("%s: %s: %s from %s: %s;%s", ss.queueIDOrNone(), action, ss.where, ss.namaddr, text, ss.whatsup())
}

// Serve runs the session until the client quits or the connection ends,
// logging the connect and disconnect lines.
func (ss *Session) Serve() {
	if strings.EqualFold(ss.cfg.ProxyProtocol, "haproxy") {
		ss.readProxy()
		ss.realXclientOK = ss.xclientOK
		ss.sockAddr = ss.client.Addr
	}
	ss.log.Infof("connect from %s", ss.namaddr)
	ss.setupMilters()
	ss.serveProto()
	ss.log.Infof("disconnect from %s%s", ss.namaddr, ss.formatStats())
	ss.teardownMilters()
}

// serveProto is smtpd_proto: banner, command loop and the abnormal-end
// log lines.
func (ss *Session) serveProto() {
	status := abortRestart
	if ss.cfg.TLSWrapperMode && ss.tlsOffered() {
		status = ss.run(ss.startTLS)
		if status == 0 {
			status = abortRestart
		}
	}
	for status == abortRestart {
		status = ss.run(ss.greet)
		if status == 0 {
			status = ss.run(ss.loop)
		}
		if status == abortRestart {
			ss.chatReset(0) // XCLIENT starts a new history
		}
	}
	switch status {
	case abortTime:
		ss.reason = "timeout"
		ss.run(func() {
			ss.replyf("421 4.4.2 %s Error: timeout exceeded", ss.cfg.MyHostname)
			ss.s.flush()
		})
	case abortEOF:
		ss.reason = "lost connection"
	case abortData:
		ss.errMask |= errData
		ss.log.Infof("%s: reject: %s from %s: 421 4.3.0 %s Server local data error",
			ss.queueIDOrNone(), ss.where, ss.namaddr, ss.cfg.MyHostname)
		ss.run(func() {
			ss.replyf("421 4.3.0 %s Server local data error", ss.cfg.MyHostname)
			ss.s.flush()
		})
	}
	if status == 0 {
		ss.run(func() { ss.s.flush() })
	}
	ss.anvilDisconnect()
	if ss.reason != "" && ss.where != "" {
		switch ss.where {
		case afterData:
			ss.log.Infof("%s after DATA (%d bytes) from %s", ss.reason, ss.actSize+int64(ss.s.r.Buffered()), ss.namaddr)
		case afterBDAT:
			ss.log.Infof("%s after BDAT (%d bytes) from %s", ss.reason, ss.actSize+ss.bdatPending(), ss.namaddr)
		case afterEOM:
			if ss.reason != "lost connection" {
				ss.log.Infof("%s after %s from %s", ss.reason, ss.where, ss.namaddr)
			}
		default:
			ss.log.Infof("%s after %s from %s", ss.reason, ss.where, ss.namaddr)
		}
	}
	ss.milterHeloReset()
	ss.chatReset(0)
	ss.mailReset()
	ss.milterDisconnect()
}

// run calls fn and converts a session abort into its status.
func (ss *Session) run(fn func()) (status abort) {
	defer func() {
		if r := recover(); r != nil {
			a, ok := r.(abort)
			if !ok {
				panic(r)
			}
			status = a
		}
	}()
	fn()
	return 0
}

// greet sends the banner (or the connect-time reject).
func (ss *Session) greet() {
	if ss.flags&flagHangup != 0 {
		ss.replyf("421 4.3.0 %s Server local error", ss.cfg.MyHostname)
		return
	}
	if !ss.StandAlone && ss.flags&flagIllPipelining == 0 && ss.flagIllPipelining() && ss.cfg.ForbidUnauthPipe {
		ss.reply("554 5.5.0 Error: SMTP protocol synchronization")
		ss.flags |= flagHangup
		return
	}
	if !ss.anvilConnect() {
		return
	}
	ss.discardMask = ehlomask.Mask(strings.Join(ss.cfg.DiscardEHLO, " "))
	if !ss.StandAlone && !ss.cfg.DelayReject {
		if r := ss.checkClient(); r != "" {
			ss.accessDenied = r
			ss.fail(errPolicy, r)
			ss.errorCount++
			return
		}
	}
	ss.reply(ss.milterConnect())
}

// flagIllPipelining logs and remembers input that arrived before the
// client could have seen our last reply.
func (ss *Session) flagIllPipelining() bool {
	n := ss.s.pending()
	if n == 0 {
		return false
	}
	if n > 100 {
		n = 100
	}
	ss.log.Infof("improper command pipelining after %s from %s: %s", ss.where, ss.namaddr, stringops.Escape(ss.s.peekData(n)))
	ss.flags |= flagIllPipelining
	return true
}

// loop reads and executes commands.
func (ss *Session) loop() {
	if ss.flags&flagHangup != 0 {
		return
	}
	for ss.flags&flagHangup == 0 {
		if ss.errorCount >= ss.cfg.HardErrLim {
			ss.reason = "too many errors"
			ss.failf(errProtocol, "421 4.7.0 %s Error: too many errors", ss.cfg.MyHostname)
			return
		}
		raw, complete := ss.s.getLine(ss.cfg.LineLimit, true)
		ss.chatAppend("In:  ", cstr(raw))
		if !complete {
			ss.log.Warnf("%s: request longer than %d: %s...", ss.namaddr, ss.cfg.LineLimit, truncate(printable(cstr(raw)), 30))
		}
		if ss.s.gotBareLF && ss.s.bareLFMode == bareLFReject {
			ss.logWhatsup("reject", "bare <LF> received")
			ss.failf(errProtocol, "%d 5.5.2 %s Error: bare <LF> received", ss.cfg.BareLFCode, ss.cfg.MyHostname)
			return
		}
		if ss.cfg.SMTPUTF8 && !utf8.Valid(raw) {
			ss.fail(errProtocol, "500 5.5.2 Error: bad UTF-8 syntax")
			ss.errorCount++
			continue
		}
		line := ss.filterCommand(cstr(raw))
		argv := tokenize(line)
		if len(argv) == 0 {
			ss.fail(errProtocol, "500 5.5.2 Error: bad syntax")
			ss.errorCount++
			continue
		}
		if len(ss.cfg.NoopCmds) > 0 && ss.stringListMatch(ss.cfg.NoopCmds, argv[0].val) {
			ss.reply("250 2.0.0 Ok")
			ss.junkCmds++
			if ss.junkCmds-1 > ss.cfg.JunkLimit {
				ss.errorCount++
			}
			continue
		}
		idx := lookupCommand(argv[0].val)
		ss.stats[idx].total++
		if idx == len(commands) {
			ss.where = "UNKNOWN"
			if record.IsHeader([]byte(argv[0].val)) || (len(ss.cfg.ForbidCmds) > 0 && ss.stringListMatch(ss.cfg.ForbidCmds, argv[0].val)) {
				ss.log.Warnf("non-SMTP command from %s: %s", ss.namaddr, truncate(stringops.Escape([]byte(line)), 100))
				ss.reply("221 2.7.0 Error: I can break rules, too. Goodbye.")
				return
			}
		}
		if ss.accessDenied != "" && (idx == len(commands) || commands[idx].name != "QUIT") {
			if strings.HasPrefix(ss.accessDenied[1:], "21") {
				ss.reply(ss.accessDenied)
				continue
			}
			ss.replyf("503 5.7.0 Error: access denied for %s", ss.namaddr)
			ss.errorCount++
			continue
		}
		if idx == len(commands) {
			r := ss.milterUnknown(argv[0].val)
			if r == "" {
				r = "500 5.5.2 Error: command not recognized"
			}
			ss.fail(errProtocol, r)
			ss.errorCount++
			continue
		}
		cmd := &commands[idx]
		if ss.tlsEnforced() && cmd.flags&cmdPreTLS == 0 {
			ss.reply("530 5.7.0 Must issue a STARTTLS command first")
			ss.errorCount++
			continue
		}
		ss.where = cmd.name
		if !ss.StandAlone && (!strings.EqualFold(ss.protocol, "ESMTP") || cmd.flags&cmdLast != 0) &&
			ss.flags&flagIllPipelining == 0 && ss.flagIllPipelining() && ss.cfg.ForbidUnauthPipe {
			ss.reply("554 5.5.0 Error: SMTP protocol synchronization")
			return
		}
		kept := len(ss.history)
		ss.cmdLine = line
		ok := cmd.action(ss, argv)
		if ok {
			ss.stats[idx].ok++
		} else {
			ss.errorCount++
		}
		ss.commandDone(cmd.name, argv, ok, kept)
		if cmd.flags&cmdLimit != 0 {
			ss.junkCmds++
			if ss.junkCmds-1 > ss.cfg.JunkLimit {
				ss.errorCount++
			}
		}
		if cmd.name == "QUIT" {
			return
		}
	}
}

// formatStats is the " helo=1 ... commands=N" part of the disconnect line.
func (ss *Session) formatStats() string {
	var b strings.Builder
	allOK, allTotal := 0, 0
	for i, st := range ss.stats {
		if st.total == 0 {
			continue
		}
		name := "unknown"
		if i < len(commands) {
			name = strings.ToLower(commands[i].name)
		}
		fmt.Fprintf(&b, " %s=%d", name, st.ok)
		if st.ok != st.total {
			fmt.Fprintf(&b, "/%d", st.total)
		}
		allOK += st.ok
		allTotal += st.total
	}
	fmt.Fprintf(&b, " commands=%d", allOK)
	if allOK != allTotal || allTotal == 0 {
		fmt.Fprintf(&b, "/%d", allTotal)
	}
	return b.String()
}
