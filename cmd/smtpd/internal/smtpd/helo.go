package smtpd

import (
	"strconv"
	"strings"

	"gopostfix/libglobal/ehlomask"
)

// heloCommon is shared by HELO and EHLO: syntax, early HELO restrictions,
// the Milter event and the session reset. It returns false after
// replying with an error, else the Milters' reply: as in Sendmail, a
// Milter that rejects HELO/EHLO does not make it fail (unless it hangs
// up with 421); the Milters repeat the reject for later commands.
func (ss *Session) heloCommon(argv []token, verb string) (milterReply string, ok bool) {
	if len(argv) < 2 {
		ss.replyf("501 Syntax: %s hostname", verb)
		return "", false
	}
	name := argv[1].val
	if len(argv) > 2 {
		name = collapse(argv)
	}
	if !ss.StandAlone && !ss.cfg.DelayReject {
		if r := ss.checkHelo(name); r != "" {
			ss.reply(r)
			return "", false
		}
	}
	milterReply = ss.milterHelo(name, verb == "EHLO")
	if strings.HasPrefix(milterReply, "421") {
		ss.reply(milterReply)
		return "", false
	}
	ss.milterHeloReset()
	ss.mailReset()
	ss.heloName = neuter(printable(name))
	return milterReply, true
}

// neuter replaces characters that would confuse log parsers.
func neuter(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" <>()\\\";@", r) {
			return '?'
		}
		return r
	}, s)
}

func (ss *Session) heloCmd(argv []token) bool {
	if _, ok := ss.heloCommon(argv, "HELO"); !ok {
		return false
	}
	if !strings.EqualFold(ss.protocol, "ESMTP") && !strings.EqualFold(ss.protocol, "SMTP") {
		ss.protocol = "SMTP"
	}
	ss.replyf("250 %s", ss.cfg.MyHostname)
	return true
}

func (ss *Session) ehloCmd(argv []token) bool {
	milterReply, ok := ss.heloCommon(argv, "EHLO")
	if !ok {
		return false
	}
	if !strings.EqualFold(ss.protocol, "ESMTP") {
		ss.protocol = "ESMTP"
	}
	discard := ss.discardMask
	if strings.HasPrefix(milterReply, "5") {
		// A Milter reject leaves only ENHANCEDSTATUSCODES, so that
		// the client sees its later replies with status codes.
		discard |= ^ehlomask.Enhanced
	}
	if discard&ehlomask.Enhanced == 0 && discard != 0 && discard&ehlomask.Silent == 0 {
		ss.log.Infof("discarding EHLO keywords: %s", ehlomask.String(discard))
	}
	lines := []string{ss.cfg.MyHostname}
	add := func(bit int, cond bool, text string) {
		if discard&bit == 0 && cond {
			lines = append(lines, text)
		}
	}
	add(ehlomask.Pipelining, true, "PIPELINING")
	if ss.cfg.MessageSize > 0 {
		add(ehlomask.Size, true, "SIZE "+strconv.FormatInt(ss.cfg.MessageSize, 10))
	} else {
		add(ehlomask.Size, true, "SIZE")
	}
	add(ehlomask.Vrfy, !ss.cfg.DisableVRFY, "VRFY")
	add(ehlomask.ETRN, true, "ETRN")
	add(ehlomask.StartTLS, ss.tlsOffered(), "STARTTLS")
	if mechs := ss.saslMechanisms(); mechs != "" {
		add(ehlomask.Auth, true, "AUTH "+mechs)
		add(ehlomask.Auth, ss.cfg.BrokenSASLClients, "AUTH="+mechs)
	}
	add(ehlomask.Xclient, ss.xclientOK, "XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT")
	add(ehlomask.Xforward, ss.xforwardOK, "XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT")
	add(ehlomask.Enhanced, true, "ENHANCEDSTATUSCODES")
	add(ehlomask.EightBitMIME, true, "8BITMIME")
	add(ehlomask.DSN, true, "DSN")
	add(ehlomask.SMTPUTF8, ss.cfg.SMTPUTF8, "SMTPUTF8")
	add(ehlomask.Chunking, true, "CHUNKING")
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		ss.reply("250" + sep + l)
	}
	return true
}
