package smtpd

import (
	"net/netip"
	"strings"

	"gopostfix/libglobal/ehlomask"
)

// Fast flush service results (flush_clnt.h).
const (
	FlushOK   = 0
	FlushFail = 1
	FlushBad  = 3
	FlushDeny = 4
)

// vrfyCmd is VRFY: the recipient restrictions decide, and the answer is
// always "cannot verify" (252), as Postfix.
func (ss *Session) vrfyCmd(argv []token) bool {
	if ss.cfg.DisableVRFY {
		ss.fail(errPolicy, "502 5.5.1 VRFY command is disabled")
		return false
	}
	smtputf8 := false
	if ss.cfg.SMTPUTF8 && ss.discardMask&ehlomask.SMTPUTF8 == 0 && len(argv) > 1 && strings.EqualFold(argv[len(argv)-1].val, "SMTPUTF8") {
		argv = argv[:len(argv)-1]
		smtputf8 = true
	}
	if len(argv) < 2 {
		suffix := ""
		if ss.cfg.SMTPUTF8 {
			suffix = " [SMTPUTF8]"
		}
		ss.fail(errProtocol, "501 5.5.4 Syntax: VRFY address"+suffix)
		return false
	}
	if r := ss.milterOther(); r != "" {
		ss.reply(r)
		return false
	}
	arg := argv[1].val
	if len(argv) > 2 {
		arg = collapse(argv)
	}
	saved := ss.flags
	if smtputf8 {
		ss.flags |= flagSMTPUTF8
	}
	addr, ok := ss.extractAddr(arg, false, false)
	ss.flags = saved
	if !ok {
		ss.fail(errProtocol, "501 5.1.3 Bad recipient address syntax")
		return false
	}
	if !smtputf8 && ss.cfg.StrictSMTPUTF8 && addr != "" && !isASCII(addr) {
		ss.mailReset()
		ss.reply("553 5.6.7 Must declare SMTPUTF8 to send unicode address")
		return false
	}
	if !ss.StandAlone {
		if smtputf8 {
			ss.flags |= flagSMTPUTF8
		}
		r := ss.checkRcpt(addr)
		ss.flags = saved
		if r != "" {
			ss.reply(r)
			return false
		}
	}
	ss.reply("252 2.0.0 " + arg)
	return true
}

// etrnCmd is ETRN: ask the fast flush service to deliver a site's mail.
func (ss *Session) etrnCmd(argv []token) bool {
	switch {
	case ss.cfg.HeloRequired && ss.heloName == "":
		ss.fail(errPolicy, "503 Error: send HELO/EHLO first")
		return false
	}
	if r := ss.milterOther(); r != "" {
		ss.reply(r)
		return false
	}
	switch {
	case ss.inMail:
		ss.fail(errProtocol, "503 Error: MAIL transaction in progress")
		return false
	case len(argv) != 2:
		ss.fail(errProtocol, "500 Syntax: ETRN domain")
		return false
	}
	site := argv[1].val
	if strings.HasPrefix(site, "@") || strings.HasPrefix(site, "#") {
		site = site[1:]
	}
	if !validHostname(site) && !validMailhostLiteral(site) {
		ss.fail(errProtocol, "501 Error: invalid parameter syntax")
		return false
	}
	if ss.StandAlone {
		ss.log.Warnf("do not use ETRN in \"sendmail -bs\" mode")
		ss.reply("458 Unable to queue messages")
		return false
	}
	if r := ss.checkEtrn(site); r != "" {
		ss.reply(r)
		return false
	}
	status := FlushFail
	if ss.deps.Flush != nil {
		status = ss.deps.Flush(site)
	}
	switch status {
	case FlushOK:
		ss.reply("250 Queuing started")
		return true
	case FlushDeny:
		ss.log.Warnf("reject: ETRN %s... from %s", truncate(site, 100), ss.namaddr)
		ss.replyf("459 <%s>: service unavailable", site)
	case FlushBad:
		ss.log.Warnf("bad ETRN %s... from %s", truncate(site, 100), ss.namaddr)
		ss.reply("458 Unable to queue messages")
	default:
		ss.log.Warnf("unable to talk to fast flush service")
		ss.reply("458 Unable to queue messages")
	}
	return false
}

// validHostname is Postfix's valid_hostname: letters, digits, '_' and
// inner '-', labels of at most 63 bytes, not all numeric, at most 255.
func validHostname(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	labelLen, nonNumeric := 0, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case isAlnum(c) || c == '_':
			labelLen++
			if labelLen > 63 {
				return false
			}
			if !isDigit(c) {
				nonNumeric = true
			}
		case c == '.':
			if labelLen == 0 || i+1 == len(name) {
				return false
			}
			labelLen = 0
		case c == '-':
			nonNumeric = true
			labelLen++
			if labelLen == 1 || i+1 == len(name) || name[i+1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return nonNumeric
}

func isAlnum(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// validMailhostLiteral accepts [ipv4] and [ipv6:addr].
func validMailhostLiteral(s string) bool {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	inner := s[1 : len(s)-1]
	if len(inner) > 5 && strings.EqualFold(inner[:5], "ipv6:") {
		a, err := netip.ParseAddr(inner[5:])
		return err == nil && a.Is6()
	}
	a, err := netip.ParseAddr(inner)
	return err == nil && a.Is4()
}
