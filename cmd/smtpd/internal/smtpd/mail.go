package smtpd

import (
	"fmt"
	"strconv"
	"strings"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/xtext"
)

// mailCmd is the MAIL FROM command (smtpd.c mail_cmd).
func (ss *Session) mailCmd(argv []token) bool {
	ss.flags &^= flagSMTPUTF8
	ss.encoding = ""
	ss.dsnRet = ""
	switch {
	case ss.cfg.HeloRequired && ss.heloName == "":
		ss.fail(errPolicy, "503 5.5.1 Error: send HELO/EHLO first")
		return false
	case ss.inMail:
		ss.fail(errProtocol, "503 5.5.1 Error: nested MAIL command")
		return false
	case ss.bdat != nil:
		ss.fail(errProtocol, "503 5.5.1 Error: MAIL after BDAT")
		return false
	case len(argv) < 3 || !strings.EqualFold(argv[1].val, "from:"):
		ss.fail(errProtocol, "501 5.5.4 Syntax: MAIL FROM:<address>")
		return false
	case ss.anvilRateMail():
		return false
	case argv[2].bad:
		ss.fail(errProtocol, "501 5.1.7 Bad sender address syntax")
		return false
	}
	utf8OK := ss.cfg.SMTPUTF8 && ss.discardMask&ehlomask.SMTPUTF8 == 0
	if utf8OK {
		for _, a := range argv[3:] {
			if strings.EqualFold(a.val, "SMTPUTF8") {
				ss.flags |= flagSMTPUTF8
				break
			}
		}
	}
	addr, ok := ss.extractAddr(argv[2].val, true, ss.cfg.StrictRFC821)
	if !ok {
		ss.fail(errProtocol, "501 5.1.7 Bad sender address syntax")
		return false
	}
	envid := ""
	for _, t := range argv[3:] {
		arg := t.val
		upper := strings.ToUpper(arg)
		switch {
		case upper == "BODY=8BITMIME":
			ss.encoding = "8bit"
		case upper == "BODY=7BIT":
			ss.encoding = "7bit"
		case strings.HasPrefix(upper, "SIZE="):
			digits := arg[5:]
			if !allDigits(digits) {
				ss.fail(errProtocol, "501 5.5.4 Bad message size syntax")
				return false
			}
			n, err := strconv.ParseInt(digits, 10, 64)
			if err != nil {
				ss.fail(errPolicy, "552 5.3.4 Message size exceeds file system imposed limit")
				return false
			}
			ss.msgSize = n
		case utf8OK && upper == "SMTPUTF8":
		case strings.HasPrefix(upper, "AUTH="):
			// Without SASL the parameter is accepted and ignored.
			if ss.cfg.SASLEnable {
				if r := ss.saslMailOpt(arg[5:]); r != "" {
					ss.reply(r)
					return false
				}
			}
		case strings.HasPrefix(upper, "RET="):
			if ss.discardMask&ehlomask.DSN != 0 {
				ss.fail(errProtocol, "501 5.7.1 DSN support is disabled")
				return false
			}
			v := strings.ToUpper(arg[4:])
			if ss.dsnRet != "" || (v != "FULL" && v != "HDRS") {
				ss.fail(errProtocol, "501 5.5.4 Bad RET parameter syntax")
				return false
			}
			ss.dsnRet = v
		case strings.HasPrefix(upper, "ENVID="):
			if ss.discardMask&ehlomask.DSN != 0 {
				ss.fail(errProtocol, "501 5.7.1 DSN support is disabled")
				return false
			}
			v, ok := xtextUnquote(arg[6:])
			if envid != "" || !ok || !allPrint(v) {
				ss.fail(errProtocol, "501 5.5.4 Bad ENVID parameter syntax")
				return false
			}
			envid = v
		default:
			ss.failf(errProtocol, "555 5.5.4 Unsupported option: %s", arg)
			return false
		}
	}
	if ss.cfg.MessageSize > 0 && ss.msgSize > ss.cfg.MessageSize {
		r := "552 5.3.4 Message size exceeds fixed limit"
		ss.check.sender = &addr
		ss.logWhatsup("reject", r)
		ss.check.sender = nil
		ss.reply(r)
		return false
	}
	if !ss.StandAlone {
		// Our own verification probes keep one sender address.
		if vs, ok := ss.validVerifySender(addr); ok {
			addr = vs
		}
	}
	if !ss.StandAlone && !ss.cfg.DelayReject {
		if r := ss.checkMail(addr); r != "" {
			ss.mailReset()
			ss.reply(r)
			return false
		}
	}
	if r := ss.milterMail(addr, argv[2:]); r != "" {
		ss.mailReset()
		ss.reply(r)
		return false
	}
	if !ss.StandAlone {
		if r := ss.checkRewrite(); r != "" {
			ss.mailReset()
			ss.reply(r)
			return false
		}
	}
	if ss.cfg.StrictSMTPUTF8 && ss.flags&flagSMTPUTF8 == 0 && addr != "" && !isASCII(addr) {
		ss.reply("553 5.6.7 Must declare SMTPUTF8 to send unicode address")
		return false
	}
	if !ss.StandAlone && (!ss.proxyEnabled() || ss.cfg.ProxySpeedAdjust) {
		if r := ss.checkQueue(); r != "" {
			ss.mailReset()
			ss.reply(r)
			return false
		}
	}
	ss.arrival = ss.deps.Now()
	ss.inMail = true
	ss.sender = addr
	ss.check.sender = &ss.sender
	ss.instance = fmt.Sprintf("%x.%x.%x.%x", ss.deps.Pid, ss.arrival.Unix(), ss.arrival.Nanosecond()/1000, ss.seqno)
	ss.seqno++
	ss.dsnEnvid = envid
	if ss.proxyEnabled() {
		ss.proxyMail = ss.cmdLine
	}
	if !ss.cfg.DelayOpen && !ss.openStream() {
		ss.mailReset()
		return false
	}
	ss.reply("250 2.1.0 Ok")
	return true
}

// mailReset ends the mail transaction (smtpd.c mail_reset and rcpt_reset).
func (ss *Session) mailReset() {
	ss.proxyFree()
	ss.proxyMail = ""
	if ss.msg != nil {
		ss.msg.Abort()
		ss.msg = nil
	}
	ss.inMail = false
	ss.msgSize = 0
	ss.actSize = 0
	ss.sender = ""
	ss.queueID = ""
	ss.err = 0
	ss.encoding = ""
	ss.dsnRet = ""
	ss.dsnEnvid = ""
	ss.saslSender = ""
	ss.recipient = ""
	ss.rcptCount = 0
	ss.rcptOvershoot = 0
	ss.bdat = nil
	ss.xforward = xforwardAttrs{}
	ss.check = checkState{}
	ss.milterMailReset()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allPrint(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// xtextUnquote decodes an ENVID/ORCPT/XFORWARD value: RFC 3461 xtext
// made of printable ASCII other than '=', with "+XX" escapes.
func xtextUnquote(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e || c == '=' {
			return "", false
		}
	}
	return xtext.Unquote(s)
}

// anvilRateMail applies smtpd_client_message_rate_limit. Postfix replies
// before it logs here.
func (ss *Session) anvilRateMail() bool {
	if ss.cfg.MsgRateLimit <= 0 || !ss.anvilApplies() {
		return false
	}
	rate, err := ss.deps.Anvil.Mail(ss.Service, ss.client.Addr)
	if err != nil || rate <= ss.cfg.MsgRateLimit {
		return false
	}
	ss.failf(errPolicy, "450 4.7.1 Error: too much mail from %s", ss.client.Addr)
	ss.log.Warnf("Message delivery request rate limit exceeded: %d from %s for service %s", rate, ss.namaddr, ss.Service)
	return true
}

// spaceMultiplier is smtpd_space_multf: the free space wanted per
// message_size_limit.
const spaceMultiplier = 1.5

// checkQueue is smtpd_check_queue: refuse mail when the queue file
// system has less than queue_minfree, or less than 1.5 times
// message_size_limit, free (in whole blocks, as Postfix compares).
func (ss *Session) checkQueue() string {
	if ss.deps.FreeSpace == nil {
		return ""
	}
	bsize, bfree := ss.deps.FreeSpace()
	if bsize == 0 {
		return ""
	}
	minfree := uint64(max(ss.cfg.QueueMinFree, 0)) / bsize
	limit := uint64(max(ss.cfg.MessageSize, 0)) / bsize
	if minfree >= bfree || float64(limit) >= float64(bfree)/spaceMultiplier {
		ss.check = checkState{}
		ss.rejectAs(errResource, 452, "4.3.1", "Insufficient system storage")
		ss.log.Warnf("not enough free space in mail queue: %d bytes < %g*message size limit", bfree*bsize, spaceMultiplier)
		return ss.check.reply
	}
	return ""
}
