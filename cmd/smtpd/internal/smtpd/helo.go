package smtpd

import (
	"strconv"
	"strings"
)

// EHLO keyword bits, as Postfix's ehlo_mask.h.
const (
	ehlo8BitMIME = 1 << iota
	ehloPipelining
	ehloSize
	ehloVRFY
	ehloETRN
	ehloAuth
	ehloVERP
	ehloStartTLS
	ehloXclient
	ehloXforward
	ehloEnhanced
	ehloDSN
	ehloSMTPUTF8
	ehloChunking
)

// ehloNames is the keyword table in Postfix's order, which is also the
// order of the "discarding EHLO keywords" log line.
var ehloNames = []struct {
	name string
	mask int
}{
	{"8BITMIME", ehlo8BitMIME}, {"AUTH", ehloAuth}, {"ETRN", ehloETRN},
	{"PIPELINING", ehloPipelining}, {"SIZE", ehloSize}, {"VERP", ehloVERP},
	{"VRFY", ehloVRFY}, {"XCLIENT", ehloXclient}, {"XFORWARD", ehloXforward},
	{"STARTTLS", ehloStartTLS}, {"ENHANCEDSTATUSCODES", ehloEnhanced},
	{"DSN", ehloDSN}, {"EHLO_MASK_SMTPUTF8", ehloSMTPUTF8},
	{"SMTPUTF8", ehloSMTPUTF8}, {"CHUNKING", ehloChunking},
}

// ehloMask converts smtpd_discard_ehlo_keywords to a mask; unknown words
// are ignored.
func ehloMask(words []string) int {
	mask := 0
	for _, w := range words {
		for _, n := range ehloNames {
			if strings.EqualFold(w, n.name) {
				mask |= n.mask
			}
		}
	}
	return mask
}

// ehloMaskString names the bits of mask, space separated.
func ehloMaskString(mask int) string {
	var out []string
	for _, n := range ehloNames {
		if mask&n.mask != 0 {
			mask &^= n.mask
			out = append(out, n.name)
		}
	}
	return strings.Join(out, " ")
}

// heloCommon is shared by HELO and EHLO: syntax, early HELO restrictions,
// and the session reset. It returns false after replying with an error.
func (ss *Session) heloCommon(argv []token, verb string) bool {
	if len(argv) < 2 {
		ss.replyf("501 Syntax: %s hostname", verb)
		return false
	}
	name := argv[1].val
	if len(argv) > 2 {
		name = collapse(argv)
	}
	if !ss.StandAlone && !ss.cfg.DelayReject {
		if r := ss.checkHelo(name); r != "" {
			ss.reply(r)
			return false
		}
	}
	ss.mailReset()
	ss.heloName = neuter(printable(name))
	return true
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
	if !ss.heloCommon(argv, "HELO") {
		return false
	}
	if !strings.EqualFold(ss.protocol, "ESMTP") && !strings.EqualFold(ss.protocol, "SMTP") {
		ss.protocol = "SMTP"
	}
	ss.replyf("250 %s", ss.cfg.MyHostname)
	return true
}

func (ss *Session) ehloCmd(argv []token) bool {
	if !ss.heloCommon(argv, "EHLO") {
		return false
	}
	if !strings.EqualFold(ss.protocol, "ESMTP") {
		ss.protocol = "ESMTP"
	}
	discard := ss.discardMask
	if discard&ehloEnhanced == 0 && discard != 0 {
		ss.log.Infof("discarding EHLO keywords: %s", ehloMaskString(discard))
	}
	lines := []string{ss.cfg.MyHostname}
	add := func(bit int, cond bool, text string) {
		if discard&bit == 0 && cond {
			lines = append(lines, text)
		}
	}
	add(ehloPipelining, true, "PIPELINING")
	if ss.cfg.MessageSize > 0 {
		add(ehloSize, true, "SIZE "+strconv.FormatInt(ss.cfg.MessageSize, 10))
	} else {
		add(ehloSize, true, "SIZE")
	}
	add(ehloVRFY, !ss.cfg.DisableVRFY, "VRFY")
	add(ehloETRN, true, "ETRN")
	add(ehloStartTLS, ss.tlsOffered(), "STARTTLS")
	if mechs := ss.saslMechanisms(); mechs != "" {
		add(ehloAuth, true, "AUTH "+mechs)
		add(ehloAuth, ss.cfg.BrokenSASLClients, "AUTH="+mechs)
	}
	add(ehloXclient, ss.xclientOK, "XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT")
	add(ehloXforward, ss.xforwardOK, "XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT")
	add(ehloEnhanced, true, "ENHANCEDSTATUSCODES")
	add(ehlo8BitMIME, true, "8BITMIME")
	add(ehloDSN, true, "DSN")
	add(ehloSMTPUTF8, ss.cfg.SMTPUTF8, "SMTPUTF8")
	add(ehloChunking, true, "CHUNKING")
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		ss.reply("250" + sep + l)
	}
	return true
}
