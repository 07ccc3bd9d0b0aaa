package smtpd

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
)

// Cleanup flags and status bits, as Postfix's cleanup_user.h.
const (
	cleanupFlagFilter    = 1 << 1
	cleanupFlagHold      = 1 << 2
	cleanupFlagDiscard   = 1 << 3
	cleanupFlagBCCOK     = 1 << 4
	cleanupFlagMapOK     = 1 << 5
	cleanupFlagMilter    = 1 << 6
	cleanupFlagSMTPReply = 1 << 7
	cleanupFlagSMTPUTF8  = 1 << 8

	cleanupMaskExternal = cleanupFlagFilter | cleanupFlagMilter | cleanupFlagBCCOK | cleanupFlagMapOK

	StatOK     = 0
	StatBad    = 1 << 0
	StatWrite  = 1 << 1
	StatSize   = 1 << 2
	StatCont   = 1 << 3
	StatHops   = 1 << 4
	StatRcpt   = 1 << 6
	StatProxy  = 1 << 7
	StatDefer  = 1 << 8
	StatNoPerm = 1 << 9
	StatBareLF = 1 << 16
)

// record writes a queue-file record to cleanup, remembering a write error.
func (ss *Session) record(typ byte, data string) {
	if ss.msg == nil || ss.err != StatOK {
		return
	}
	if err := ss.msg.Record(typ, data); err != nil {
		ss.err |= StatWrite
	}
}

// out writes one line of message content to where the message goes:
// the before-queue filter, else cleanup.
func (ss *Session) out(typ byte, data string) {
	if ss.proxy == nil {
		ss.record(typ, data)
		return
	}
	if !ss.proxyPut(typ, data) {
		ss.err |= StatProxy
	}
}

// forward returns the XFORWARD value if one was given, else the real one.
func forward(fwd, real string) string {
	if fwd != "" {
		return fwd
	}
	return real
}

// openMessage connects to cleanup at the first accepted recipient and
// writes the envelope head (smtpd.c mail_open_stream).
func (ss *Session) openMessage() bool {
	if ss.StandAlone || ss.deps.Queue == nil {
		ss.log.Fatalf("unable to connect to the public cleanup service")
		return false
	}
	flags := transpCleanup(cleanupMaskExternal, ss.transpMask()) | cleanupFlagSMTPReply
	if ss.flags&flagSMTPUTF8 != 0 {
		flags |= cleanupFlagSMTPUTF8
	}
	m, err := ss.deps.Queue.Open(flags)
	if err != nil {
		ss.log.Fatalf("unable to connect to the public cleanup service: %v", err)
		return false
	}
	ss.msg = m
	ss.queueID = m.ID()
	if ss.milterActive() {
		// An empty Milter list first (milter_dummy): cleanup must not
		// apply its own non_smtpd_milters; the real list follows at
		// DATA, when the Milters' state is known.
		ss.record(record.MiltCount, "0")
	}
	xf := &ss.xforward
	ss.record(record.Time, fmt.Sprintf("%d %d", ss.arrival.Unix(), ss.arrival.Nanosecond()/1000))
	if ss.cfg.ContentFilter != "" {
		ss.record(record.Filter, ss.cfg.ContentFilter)
	}
	ss.record(record.Attr, "log_ident="+forward(xf.ident, ss.queueID))
	ss.record(record.Attr, "rewrite_context="+forward(xf.domain, cmp.Or(ss.rewriteContext, rewriteLocal)))
	// What AUTH (or XCLIENT LOGIN) established goes along, so that
	// later stages need not authenticate again.
	for _, a := range []struct{ name, value string }{
		{"sasl_method", ss.saslMethod}, {"sasl_username", ss.saslUser}, {"sasl_sender", ss.saslSender},
	} {
		if a.value != "" {
			ss.record(record.Attr, a.name+"="+a.value)
		}
	}
	if ss.dsnEnvid != "" {
		ss.record(record.Attr, "envelope_id="+ss.dsnEnvid)
	}
	switch ss.dsnRet {
	case "FULL":
		ss.record(record.Attr, "ret_flags=1")
	case "HDRS":
		ss.record(record.Attr, "ret_flags=2")
	}
	ss.record(record.From, ss.sender)
	if ss.encoding != "" {
		ss.record(record.Attr, "encoding="+ss.encoding)
	}
	c := &ss.client
	ss.record(record.Attr, "log_client_name="+xf.forwardOr(xf.name, c.Name))
	ss.record(record.Attr, "log_client_address="+xf.forwardOr(xf.rfcAddr, ss.rfcAddr()))
	ss.record(record.Attr, "log_client_port="+xf.forwardOr(xf.port, c.Port))
	ss.record(record.Attr, "log_message_origin="+xf.forwardOr(xf.namaddr, ss.namaddr))
	if h := xf.forwardOr(xf.helo, ss.heloName); h != "" {
		ss.record(record.Attr, "log_helo_name="+h)
	}
	ss.record(record.Attr, "log_protocol_name="+xf.forwardOr(xf.proto, ss.protocol))
	ss.record(record.Attr, "client_name="+c.Name)
	ss.record(record.Attr, "reverse_client_name="+c.ReverseName)
	ss.record(record.Attr, "client_address="+c.Addr)
	ss.record(record.Attr, "client_port="+c.Port)
	ss.record(record.Attr, "server_address="+c.ServerAddr)
	ss.record(record.Attr, "server_port="+c.ServerPort)
	if ss.heloName != "" {
		ss.record(record.Attr, "helo_name="+ss.heloName)
	}
	ss.record(record.Attr, "protocol_name="+ss.protocol)
	af := 2
	if strings.Contains(c.Addr, ":") {
		af = 10
	}
	ss.record(record.Attr, "client_address_type="+strconv.Itoa(af))
	ss.logClient()
	return true
}

// logClient logs the origin of a message once its destination (queue
// file or filter) is open: "QUEUEID: client=...".
func (ss *Session) logClient() {
	xf := &ss.xforward
	extra := ""
	if xf.ident != "" {
		extra += ", orig_queue_id=" + xf.ident
	}
	if xf.client {
		extra += ", orig_client=" + xf.namaddr
	}
	ss.log.Infof("%s: client=%s%s%s", ss.queueIDOrNone(), ss.namaddr, ss.saslLogSuffix(), extra)
}

// rfcAddr is the client address as shown in Received: headers.
func (ss *Session) rfcAddr() string { return rfcAddrOf(ss.client.Addr) }

// rfcAddrOf is an address in the form of Received: headers and the
// log_client_address record: IPv6 ones with Postfix's "IPv6:" prefix.
func rfcAddrOf(addr string) string {
	if strings.Contains(addr, ":") {
		return "IPv6:" + addr
	}
	return addr
}

// beginContent writes the records that precede the message text: held
// flags, the content marker, PREPEND headers and our Received: header.
func (ss *Session) beginContent() {
	if ss.milterActive() && ss.msg != nil && ss.err == StatOK {
		// As in Postfix the outcome is not checked here: the sender
		// warns, and a broken stream fails the records that follow.
		_ = ss.msg.SendMilters(ss.milters)
	}
	if ss.check.savedFlags != 0 {
		ss.record(record.Flags, strconv.Itoa(ss.check.savedFlags))
	}
	ss.record(record.Mesg, "")
	for _, h := range ss.check.prepend {
		ss.out(record.Norm, h)
	}
	// A filter behind an XFORWARD client (we are an intermediate
	// proxy) gets no Received: header of ours.
	if ss.proxy != nil && ss.xforward.preset {
		return
	}
	with := ss.protocol
	if ss.flags&flagSMTPUTF8 != 0 {
		with = "UTF8SMTP"
	}
	// RFC 3848 (ESMTP only): "S" when the session is encrypted, "A"
	// when the client authenticated, after UTF8SMTP too.
	if ss.protocol == "ESMTP" && ss.tls != nil {
		with += "S"
	}
	if ss.protocol == "ESMTP" && ss.saslUser != "" {
		with += "A"
	}
	helo := ss.heloName
	if helo == "" {
		helo = ss.client.Name
	}
	ss.out(record.Norm, fmt.Sprintf("Received: from %s (%s [%s])", helo, ss.client.Name, ss.rfcAddr()))
	for _, l := range ss.tlsReceived() {
		ss.out(record.Norm, l)
	}
	if ss.cfg.SASLEnable && ss.cfg.SASLAuthHeader && ss.saslUser != "" {
		ss.out(record.Norm, "\t(Authenticated sender: "+commentSanitize(ss.saslUser)+")")
	}
	date := mailDate(ss.arrival)
	// Mail for a filter has no queue ID yet.
	by := fmt.Sprintf("\tby %s (%s) with %s", ss.cfg.MyHostname, ss.cfg.MailName, with)
	if ss.proxy == nil {
		by += " id " + ss.queueID
	}
	if ss.rcptCount == 1 && ss.recipient != "" {
		ss.out(record.Norm, by)
		ss.out(record.Norm, fmt.Sprintf("\tfor <%s>; %s", tok822.QuoteLocal(ss.recipient, tok822.QuoteDefault), date))
	} else {
		ss.out(record.Norm, by+";")
		ss.out(record.Norm, "\t"+date)
	}
}

// mailDate formats a time as RFC 2822 with a zone comment, as Postfix's
// mail_date: "Sun, 29 Nov 2026 14:07:11 +0000 (UTC)".
func mailDate(t time.Time) string {
	t = t.Local()
	return t.Format("Mon, 2 Jan 2006 15:04:05 -0700") + " (" + t.Format("MST") + ")"
}

// finishMessage is common_post_message_handling: end-of-data checks, the
// end records, cleanup's verdict and the reply.
func (ss *Session) finishMessage(bdatTotal bool) bool {
	if ss.err == StatOK && !ss.StandAlone {
		if r := ss.checkEOD(); r != "" {
			// Only the message is dropped: as in Postfix the
			// transaction stays open until RSET (MAIL is "nested").
			ss.reply(r)
			if ss.proxy != nil {
				ss.proxyClose()
			} else if ss.msg != nil {
				ss.msg.Abort()
				ss.msg = nil
			}
			return false
		}
	}
	why := ""
	switch {
	case ss.proxy != nil:
		// The filter's verdict on the message is its reply to the
		// end of data.
		if ss.err == StatOK {
			ss.proxyCmd(proxyWantAny, ".")
			if ss.err == StatOK && !strings.HasPrefix(ss.proxy.reply, "2") {
				ss.err = StatCont
			}
		}
	case ss.err == StatOK:
		ss.record(record.Xtra, "")
		if ss.check.filter != "" {
			ss.record(record.Filter, ss.check.filter)
		}
		if ss.check.redirect != "" {
			ss.record(record.Redirect, ss.check.redirect)
		}
		// BCC recipients never get DSN notices.
		for _, b := range ss.check.bcc {
			ss.record(record.Rcpt, b)
			ss.record(record.Attr, "notify_flags="+strconv.Itoa(notifyNever))
		}
		if ss.check.savedFlags != 0 {
			ss.record(record.Flags, strconv.Itoa(ss.check.savedFlags))
		}
		ss.record(record.End, "")
	}
	if ss.proxy == nil && ss.err == StatOK && ss.msg != nil {
		ss.err, why = ss.msg.Finish()
		ss.msg = nil
		if isSMTPReject(why) {
			why = printableKeepCRLF(why)
		} else {
			why = strings.Map(func(r rune) rune {
				if r < 0x20 || r == 0x7f {
					return ' '
				}
				return r
			}, why)
		}
	}
	if ss.milters != nil && ss.err&StatWrite != 0 {
		// cleanup went away while the Milters were in the middle of
		// the message: smtpd and the Milters are out of step, so the
		// session ends at the next command.
		ss.accessDenied = "421 4.3.0 Mail system error"
	}
	ok := ss.err == StatOK
	switch {
	case ok:
		ss.errorCount = 0
		ss.errMask = 0
		ss.junkCmds = 0
		if ss.proxy != nil {
			ss.reply(ss.proxy.reply)
		} else if bdatTotal {
			ss.replyf("250 2.0.0 Ok: %d bytes queued as %s", ss.actSize, ss.queueID)
		} else {
			ss.replyf("250 2.0.0 Ok: queued as %s", ss.queueID)
		}
	case ss.err&StatBareLF != 0:
		ss.logWhatsup("reject", "bare <LF> received")
		ss.failf(errProtocol, "%d 5.5.2 %s Error: bare <LF> received", ss.cfg.BareLFCode, ss.cfg.MyHostname)
	case isSMTPReject(why):
		ss.fail(errPolicy, why)
	case ss.err&StatDefer != 0:
		if why != "" {
			ss.fail(errPolicy, "451 "+why)
		} else {
			ss.fail(errPolicy, "451 4.7.1 Error: service unavailable")
		}
	case ss.err&StatBad != 0:
		ss.failf(errSoftware, "451 4.3.0 Error: internal error %d", ss.err)
	case ss.err&StatSize != 0:
		ss.fail(errBounce, "552 5.3.4 Error: message file too big")
	case ss.err&StatHops != 0:
		ss.fail(errBounce, "554 5.4.0 Error: too many hops")
	case ss.err&StatCont != 0:
		if ss.proxy != nil {
			ss.fail(errPolicy, ss.proxy.reply)
		} else if why != "" {
			ss.fail(errPolicy, "550 "+why)
		} else {
			ss.fail(errPolicy, "550 5.7.1 Error: message content rejected")
		}
	case ss.err&StatWrite != 0:
		ss.fail(errResource, "451 4.3.0 Error: queue file write error")
	case ss.err&StatProxy != 0:
		r := proxyFakeReply
		if ss.proxy != nil {
			r = ss.proxy.reply
		}
		ss.fail(errSoftware, r)
	default:
		ss.failf(errSoftware, "451 4.3.0 Error: internal error %d", ss.err)
	}
	if ss.proxy != nil {
		verdict := "reject"
		if ok {
			verdict = "accept"
		}
		ss.log.Infof("proxy-%s: %s: %s;%s", verdict, ss.where, ss.proxy.reply, ss.smtpdWhatsup())
	}
	ss.chatReset(ss.cfg.HistThreshold)
	ss.mailReset()
	return ok
}

// isSMTPReject reports whether s starts with a 4xx/5xx reply code.
func isSMTPReject(s string) bool {
	return len(s) >= 3 && (s[0] == '4' || s[0] == '5') && isDigit(s[1]) && isDigit(s[2]) &&
		(len(s) == 3 || s[3] == ' ' || s[3] == '-')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// printableKeepCRLF replaces non-printable characters other than CR and
// LF with spaces (printable_except(s, ' ', "\r\n")).
func printableKeepCRLF(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return r
		}
		if r < 0x20 || r == 0x7f || r == 0xFFFD {
			return ' '
		}
		return r
	}, s)
}

// commentSanitize makes text safe inside a Received: comment: printable
// ASCII without backslashes, parentheses balanced.
func commentSanitize(s string) string {
	b := []byte(s)
	depth := 0
	for i, c := range b {
		switch {
		case c < 0x20 || c >= 0x7f || c == '\\':
			b[i] = '?'
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			} else {
				b[i] = '?'
			}
		}
	}
	return string(b) + strings.Repeat(")", depth)
}
