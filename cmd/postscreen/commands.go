package main

import (
	"strings"

	"gopostfix/libglobal/ehlomask"
)

func (s *session) heloCmd(args string) {
	name, ok := nextToken(&args)
	if !ok {
		s.sendReply("501 Syntax: HELO hostname\r\n")
		return
	}
	s.helo, s.hasHelo = name, true
	s.sender, s.hasSender = "", false
	s.sendReply(s.sc.cfg.heloReply)
}

func (s *session) ehloCmd(args string) {
	sc := s.sc
	name, ok := nextToken(&args)
	if !ok {
		s.sendReply("501 Syntax: EHLO hostname\r\n")
		return
	}
	s.helo, s.hasHelo = name, true
	s.sender, s.hasSender = "", false
	s.protocol = "ESMTP"
	var reply string
	words, found, err := "", false, error(nil)
	if sc.ehloMaps != nil {
		sc.timed(&sc.latency.mapsFind, sc.ehloMaps.Title, "lookup", func() {
			words, found, err = sc.ehloMaps.Find(s.clientAddr, false)
		})
	}
	switch {
	case found && ehlomask.Mask(words) != sc.ehloMask:
		mask := ehlomask.Mask(words)
		if mask != 0 && mask&ehlomask.Silent == 0 {
			sc.log.Infof("[%s]%s: discarding EHLO keywords: %s", s.clientAddr, s.clientPort, ehlomask.String(mask))
		}
		if s.flags&fUsingTLS != 0 {
			mask |= ehlomask.StartTLS
		}
		reply = sc.cfg.ehloReply(mask)
		s.ehloDiscardMask = mask
	case err != nil:
		sc.log.Fatalf("%s lookup error for %s", sc.ehloMaps.Title, s.clientAddr)
	case s.flags&fUsingTLS != 0:
		reply = sc.ehloTLS
		s.ehloDiscardMask = sc.ehloMask | ehlomask.StartTLS
	default:
		reply = sc.ehloPlain
		s.ehloDiscardMask = sc.ehloMask
	}
	s.sendReply(reply)
}

// extractAddr takes the address out of MAIL FROM:/RCPT TO: arguments
// (psc_extract_addr): lenient, unquoted, source route dropped.
func extractAddr(text string) string {
	text = strings.TrimLeft(text, " ")
	stop := byte(' ')
	if strings.HasPrefix(text, "<") {
		text, stop = text[1:], '>'
	}
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !inQuote && c == stop {
			break
		}
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if c == '\\' {
			if i++; i >= len(text) {
				break
			}
			c = text[i]
		}
		b.WriteByte(c)
	}
	addr := b.String()
	if strings.HasPrefix(addr, "@") {
		if i := strings.IndexByte(addr, ':'); i >= 0 {
			addr = addr[i+1:]
		}
	}
	return addr
}

func (s *session) mailCmd(args string) {
	switch {
	case s.sc.cfg.heloRequired && !s.hasHelo:
		s.sendReply("503 5.5.1 Error: send HELO/EHLO first\r\n")
	case s.hasSender:
		s.sendReply("503 5.5.1 Error: nested MAIL command\r\n")
	case !strings.Contains(args, ":"):
		s.sendReply("501 5.5.4 Syntax: MAIL FROM:<address>\r\n")
	default:
		s.sender, s.hasSender = extractAddr(args[strings.IndexByte(args, ':')+1:]), true
		s.sendReply("250 2.1.0 Ok\r\n")
	}
}

// softened is a reply with 5XX codes turned into 4XX (psc_soften_reply).
func softened(reply string) string {
	b := []byte(reply)
	if b[0] == '5' {
		b[0] = '4'
	}
	if len(b) > 4 && b[4] == '5' {
		b[4] = '4'
	}
	return string(b)
}

func (s *session) rcptCmd(args string) {
	sc := s.sc
	switch {
	case !s.hasSender:
		s.sendReply("503 5.5.1 Error: need MAIL command\r\n")
		return
	case !strings.Contains(args, ":"):
		s.sendReply("501 5.5.4 Syntax: RCPT TO:<address>\r\n")
		return
	}
	addr := extractAddr(args[strings.IndexByte(args, ':')+1:])
	reply := s.rcptReply
	if sc.cfg.softBounce {
		reply = softened(reply)
	}
	sc.log.Infof("NOQUEUE: reject: RCPT from [%s]:%s: %s; from=<%s>, to=<%s>, proto=%s, helo=<%s>",
		s.clientAddr, s.clientPort, strings.TrimSuffix(reply, "\r\n"), sc.addrForm.Addr(s.sender),
		sc.addrForm.Addr(addr), s.protocol, s.helo)
	s.sendReply(s.rcptReply)
}

func (s *session) dataCmd(args string) {
	s.sc.log.Infof("DATA without valid RCPT from [%s]:%s", s.clientAddr, s.clientPort)
	switch {
	case hasToken(args):
		s.clearDrop("501 5.5.4 Syntax: DATA\r\n")
	case !s.hasSender:
		s.clearDrop("503 5.5.1 Error: need RCPT command\r\n")
	default:
		s.clearDrop("554 5.5.1 Error: no valid recipients\r\n")
	}
}

func (s *session) bdatCmd(args string) {
	s.sc.log.Infof("BDAT without valid RCPT from [%s]:%s", s.clientAddr, s.clientPort)
	switch {
	case s.ehloDiscardMask&ehlomask.Chunking != 0:
		s.clearDrop("502 5.5.1 Error: command not implemented\r\n")
	case !hasToken(args):
		s.clearDrop("501 5.5.4 Syntax: BDAT count [LAST]\r\n")
	case !s.hasSender:
		s.clearDrop("554 5.5.1 Error: need MAIL command\r\n")
	default:
		s.clearDrop("554 5.5.1 Error: no valid recipients\r\n")
	}
}

func hasToken(args string) bool { return strings.TrimLeft(args, " ") != "" }

func (s *session) rsetCmd(string) {
	s.sender, s.hasSender = "", false
	s.sendReply("250 2.0.0 Ok\r\n")
}

func (s *session) noopCmd(string) { s.sendReply("250 2.0.0 Ok\r\n") }

func (s *session) vrfyCmd(args string) {
	switch {
	case !hasToken(args):
		s.sendReply("501 5.5.4 Syntax: VRFY address\r\n")
	case s.sc.cfg.disableVrfy:
		s.sendReply("502 5.5.1 VRFY command is disabled\r\n")
	default:
		s.sendReply(s.rcptReply)
	}
}

func (s *session) etrnCmd(args string) {
	switch {
	case s.sc.cfg.heloRequired && !s.hasHelo:
		s.sendReply("503 5.5.1 Error: send HELO/EHLO first\r\n")
	case !hasToken(args):
		s.sendReply("500 Syntax: ETRN domain\r\n")
	default:
		s.sendReply("458 Unable to queue messages\r\n")
	}
}

func (s *session) quitCmd(string) { s.clearDrop("221 2.0.0 Bye\r\n") }
