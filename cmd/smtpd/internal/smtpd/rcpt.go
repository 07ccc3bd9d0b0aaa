package smtpd

import (
	"strconv"
	"strings"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/record"
)

// DSN NOTIFY bits, as Postfix's dsn_mask.h.
const (
	notifyNever   = 1 << 0
	notifySuccess = 1 << 1
	notifyFailure = 1 << 2
	notifyDelay   = 1 << 3
)

// notifyMask parses a NOTIFY= value; 0 means bad syntax.
func (ss *Session) notifyMask(v string) int {
	mask := 0
	for _, w := range strings.Split(v, ",") {
		switch strings.ToUpper(w) {
		case "NEVER":
			mask |= notifyNever
		case "SUCCESS":
			mask |= notifySuccess
		case "FAILURE":
			mask |= notifyFailure
		case "DELAY":
			mask |= notifyDelay
		default:
			ss.log.Warnf("unknown DSN NOTIFY command value \"%s\" in \"%s\"", w, v)
			return 0
		}
	}
	if mask&notifyNever != 0 && mask != notifyNever {
		return 0
	}
	return mask
}

// rcptCmd is the RCPT TO command (smtpd.c rcpt_cmd).
func (ss *Session) rcptCmd(argv []token) bool {
	switch {
	case !ss.inMail:
		ss.fail(errProtocol, "503 5.5.1 Error: need MAIL command")
		return false
	case ss.bdat != nil:
		ss.fail(errProtocol, "503 5.5.1 Error: RCPT after BDAT")
		return false
	case len(argv) < 3 || !strings.EqualFold(argv[1].val, "to:"):
		ss.fail(errProtocol, "501 5.5.4 Syntax: RCPT TO:<address>")
		return false
	case ss.anvilRate(ss.cfg.RcptRateLimit, ss.deps.anvilRcpt, "Recipient address", "many recipients"):
		return false
	case argv[2].bad:
		ss.fail(errProtocol, "501 5.1.3 Bad recipient address syntax")
		return false
	}
	addr, ok := ss.extractAddr(argv[2].val, false, ss.cfg.StrictRFC821)
	if !ok {
		ss.fail(errProtocol, "501 5.1.3 Bad recipient address syntax")
		return false
	}
	notify := 0
	orcptType, orcptAddr, haveOrcpt := "", "", false
	for _, t := range argv[3:] {
		arg := t.val
		upper := strings.ToUpper(arg)
		switch {
		case strings.HasPrefix(upper, "NOTIFY="):
			if ss.discardMask&ehlomask.DSN != 0 {
				ss.fail(errProtocol, "501 5.7.1 DSN support is disabled")
				return false
			}
			if notify != 0 {
				ss.fail(errProtocol, "501 5.5.4 Error: Bad NOTIFY parameter syntax")
				return false
			}
			if notify = ss.notifyMask(arg[7:]); notify == 0 {
				ss.fail(errProtocol, "501 5.5.4 Error: Bad NOTIFY parameter syntax")
				return false
			}
		case strings.HasPrefix(upper, "ORCPT="):
			if ss.discardMask&ehlomask.DSN != 0 {
				ss.fail(errProtocol, "501 5.7.1 DSN support is disabled")
				return false
			}
			typ, coded, found := strings.Cut(arg[6:], ";")
			var dec string
			ok := found && typ != "" && !haveOrcpt
			if ok {
				dec, ok = xtextUnquote(coded)
			}
			if !ok {
				ss.fail(errProtocol, "501 5.5.4 Error: Bad ORCPT parameter syntax")
				return false
			}
			orcptType, orcptAddr, haveOrcpt = typ, dec, true
		default:
			ss.failf(errProtocol, "555 5.5.4 Unsupported option: %s", arg)
			return false
		}
	}
	if ss.cfg.RcptLimit > 0 && ss.rcptCount >= ss.cfg.RcptLimit {
		ss.reply("452 4.5.3 Error: too many recipients")
		ss.rcptOvershoot++
		return ss.rcptOvershoot-1 < ss.cfg.RcptOverLim
	}
	if ss.cfg.StrictSMTPUTF8 && ss.flags&flagSMTPUTF8 == 0 && !isASCII(addr) {
		ss.reply("553 5.6.7 Must declare SMTPUTF8 to send unicode address")
		return false
	}
	if !ss.StandAlone {
		// A probe for our own verification sender is never refused
		// (it would make both sides cache a failure), but the Milters
		// still see it.
		r := ""
		if vs, ok := ss.validVerifySender(addr); ok {
			addr = vs
		} else {
			r = ss.checkRcpt(addr)
		}
		r = ss.milterRcpt(addr, r, argv[2:])
		if r != "" {
			ss.reply(r)
			return false
		}
	}
	if ss.msg == nil && ss.proxy == nil && !ss.openStream() {
		return false
	}
	// The filter may refuse the recipient even though we took it.
	if ss.proxy != nil && !ss.proxyCmd(proxyWantOK, ss.cmdLine) {
		ss.reply(ss.proxy.reply)
		return false
	}
	ss.rcptCount++
	if ss.recipient == "" {
		ss.recipient = addr
	}
	if !haveOrcpt {
		orcptType = "rfc822"
		orcptAddr = argv[2].val
		if len(orcptAddr) >= 2 && orcptAddr[0] == '<' && orcptAddr[len(orcptAddr)-1] == '>' {
			orcptAddr = orcptAddr[1 : len(orcptAddr)-1]
		}
	}
	if notify != 0 {
		ss.record(record.Attr, "notify_flags="+strconv.Itoa(notify))
	}
	ss.record(record.Attr, "dsn_orig_rcpt="+orcptType+";"+orcptAddr)
	ss.record(record.Rcpt, addr)
	ss.reply("250 2.1.5 Ok")
	return true
}
