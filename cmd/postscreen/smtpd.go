package main

import (
	"strings"
	"unicode/utf8"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/dict"
)

// The dummy SMTP engine (postscreen_smtpd.c) talks to clients that must
// pass the deep protocol tests, and to clients whose mail is refused:
// it never accepts a recipient, and the session always ends with the
// client disconnected; a client that passed comes back and is handed
// to smtpd then.

// Command flags (PSC_SMTPD_CMD_FLAG_*).
const (
	cmdEnable  = 1 << 0 // implemented
	cmdDestroy = 1 << 1 // ends the session
	cmdPreTLS  = 1 << 2 // allowed before STARTTLS when TLS is required
	cmdSuspend = 1 << 3 // the engine waits for something else
	cmdPayload = 1 << 4 // data follows the command
)

type command struct {
	name   string
	action func(s *session, args string)
	flags  int
}

var commands []command

func init() {
	commands = []command{
		{"HELO", (*session).heloCmd, cmdEnable | cmdPreTLS},
		{"EHLO", (*session).ehloCmd, cmdEnable | cmdPreTLS},
		{"STARTTLS", (*session).starttlsCmd, cmdEnable | cmdPreTLS | cmdSuspend},
		{"XCLIENT", (*session).noopCmd, 0},
		{"XFORWARD", (*session).noopCmd, 0},
		{"AUTH", (*session).noopCmd, 0},
		{"MAIL", (*session).mailCmd, cmdEnable},
		{"RCPT", (*session).rcptCmd, cmdEnable},
		{"DATA", (*session).dataCmd, cmdEnable | cmdDestroy},
		{"BDAT", (*session).bdatCmd, cmdEnable | cmdDestroy | cmdPayload},
		{"RSET", (*session).rsetCmd, cmdEnable},
		{"NOOP", (*session).noopCmd, cmdEnable | cmdPreTLS},
		{"VRFY", (*session).vrfyCmd, cmdEnable},
		{"ETRN", (*session).etrnCmd, cmdEnable},
		{"QUIT", (*session).quitCmd, cmdEnable | cmdDestroy | cmdPreTLS},
	}
}

// smtpdTests starts the dummy engine (psc_smtpd_tests).
func (s *session) smtpdTests() {
	s.beginTests("tests after SMTP handshake")
	s.cmdBuf, s.crSeen = s.cmdBuf[:0], false
	switch {
	case s.flags&fSmtpdX21 != 0:
		s.flags &^= mSmtpdTodo
	case s.flags&mAnyFail != 0:
		// A client that failed an early test gets every deep test too.
		s.flags |= mSmtpdTodo
	}
	// No greeting for pregreeters: it only brings non-SMTP noise.
	if s.flags&fPregrFail == 0 && s.sendReply(s.sc.cfg.greeting) {
		s.hangup()
		return
	}
	s.resumeCommands()
}

// resumeCommands (re)arms the command read and the command time limit.
func (s *session) resumeCommands() {
	s.enableRead(readData, streamBufSize, s.smtpdRead)
	s.setTimer("smtpd", s.sc.cmdTimeLimit(), s.smtpdTime)
	if len(s.input) > 0 {
		s.smtpdRead(nil, nil)
	}
}

// smtpdTime is the command time limit (psc_smtpd_time_event).
func (s *session) smtpdTime() {
	s.sc.log.Infof("COMMAND TIME LIMIT from [%s]:%s after %s", s.clientAddr, s.clientPort, s.where)
	s.clearDrop(s.sc.cfg.timeoutReply)
}

// clearDrop stops the engine and drops the session with reply
// (PSC_CLEAR_EVENT_DROP_SESSION_STATE).
func (s *session) clearDrop(reply string) {
	s.disableRead()
	s.cancelTimer("smtpd")
	s.drop(reply)
}

// clearHangup stops the engine after the client went away.
func (s *session) clearHangup() {
	s.disableRead()
	s.cancelTimer("smtpd")
	s.hangup()
}

// badUTF8 is PSC_BAD_UTF8.
func (s *session) badUTF8(text string) bool {
	return s.sc.cfg.smtputf8 && !utf8.ValidString(text)
}

// smtpdRead consumes input (psc_smtpd_read_event): data is what one read
// returned; a nil data with a nil error continues with buffered input.
func (s *session) smtpdRead(data []byte, err error) {
	if data != nil || err != nil {
		if len(data) == 0 {
			s.clearHangup()
			return
		}
		s.input = append(s.input, data...)
	}
	for {
		line, ok := s.readLine()
		if !ok {
			return // more input needed, or the session ended
		}
		if !s.command(line) {
			return
		}
		if len(s.input) == 0 {
			return
		}
	}
}

// readLine takes one command line out of the input, running the line
// length limit and the bare newline test on the way. ok is false when the
// line is incomplete or the session ended.
func (s *session) readLine() (string, bool) {
	sc := s.sc
	for len(s.input) > 0 {
		ch := s.input[0]
		s.input = s.input[1:]
		// Postfix checks the limit outside a CR run only, so a long
		// line followed by endless CRs would grow the buffer until the
		// command time limit; a CR after a CR is held to the limit too.
		if len(s.cmdBuf) >= sc.cfg.lineLimit && (!s.crSeen || ch == '\r') {
			sc.log.Infof("COMMAND LENGTH LIMIT from [%s]:%s after %s", s.clientAddr, s.clientPort, s.where)
			s.clearDrop(sc.cfg.busyReply)
			return "", false
		}
		s.cmdBuf = append(s.cmdBuf, ch)
		if s.crSeen && ch == '\n' {
			line := string(s.cmdBuf[:len(s.cmdBuf)-2])
			s.cmdBuf, s.crSeen = s.cmdBuf[:0], false
			return line, true
		}
		s.crSeen = ch == '\r'
		if ch != '\n' {
			continue
		}
		if s.flags&(fBarLFTodo|fBarLFSkip) == fBarLFTodo {
			sc.log.Infof("BARE NEWLINE from [%s]:%s after %s", s.clientAddr, s.clientPort,
				escapeN(s.cmdBuf[:len(s.cmdBuf)-1], 100))
			if s.deepFail(tBarLF, "bare newline test", sc.cfg.barlfAction, "521 5.5.1 Protocol error\r\n") {
				return "", false
			}
		}
		line := string(s.cmdBuf[:len(s.cmdBuf)-1])
		s.cmdBuf = s.cmdBuf[:0]
		return line, true
	}
	return "", false
}

// deepFail records that the client failed deep protocol test t (what
// names it in verbose logs): the test is failed, no longer passed, its
// time stamp disabled and the test skipped for the rest of the session.
// Then the action applies: drop hangs up with dropReply (and deepFail
// reports true), enforce rejects the client's mail later, ignore
// forgets the failure and passes the test for postscreen_minimum_ttl.
func (s *session) deepFail(t int, what string, action int, dropReply string) (dropped bool) {
	s.fail(failOf(t))
	s.unpass(passOf(t))
	s.info.expire[t] = stampDisabled
	s.skip(what, doneOf(t))
	switch action {
	case actDrop:
		s.clearDrop(dropReply)
		return true
	case actEnforce:
		s.enforce("550 5.5.1 Protocol error\r\n")
	case actIgnore:
		s.unfail(failOf(t))
		s.pass(what, passOf(t))
		s.info.expire[t] = now() + int64(s.sc.cfg.minTTL)
	}
	return false
}

// nextToken is mystrtok(&p, " "): skip spaces, return the word, leave p
// after the space that ends it.
func nextToken(p *string) (string, bool) {
	s := strings.TrimLeft(*p, " ")
	if s == "" {
		*p = s
		return "", false
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		*p = s[i+1:]
		return s[:i], true
	}
	*p = ""
	return s, true
}

// command runs the deep tests on one command line and executes it. It
// reports whether the engine goes on reading.
func (s *session) command(line string) bool {
	sc := s.sc
	if sc.cmdFilter != nil && !s.badUTF8(line) {
		key := strings.TrimLeft(line, " \t")
		var v string
		var found bool
		var err error
		sc.timed(&sc.latency.dictGet, sc.cmdFilter.Name(), "lookup", func() { v, found, err = sc.cmdFilter.Lookup(key) })
		if err != nil {
			sc.log.Fatalf("%s lookup error for \"%s\"", sc.cmdFilter.Type()+":"+sc.cmdFilter.Name(), truncate(line, 100))
		} else if found {
			sc.log.Infof("[%s]:%s: replacing command \"%s\" with \"%s\"", s.clientAddr, s.clientPort,
				truncate(line, 100), truncate(v, 100))
			line = v
		}
	}
	s.verbosef("< [%s]:%s: %s", s.clientAddr, s.clientPort, line)
	args := line
	name, _ := nextToken(&args)
	savedWhere := s.where
	s.where = "UNIMPLEMENTED"
	var cmd *command
	for i := range commands {
		if strings.EqualFold(name, commands[i].name) {
			cmd = &commands[i]
			s.where = cmd.name
			break
		}
	}
	isQuit := cmd != nil && cmd.name == "QUIT"
	if s.flags&fSmtpdX21 != 0 && !isQuit {
		s.clearDrop(s.finalReply)
		return false
	}
	if s.flags&(fNSMTPTodo|fNSMTPSkip) == fNSMTPTodo && cmd == nil && s.nonSMTP(name) {
		sc.log.Infof("NON-SMTP COMMAND from [%s]:%s after %s: %s %s", s.clientAddr, s.clientPort, savedWhere,
			truncate(dict.Printable(name), 100), escapeN([]byte(args), 100))
		if s.deepFail(tNSMTP, "non-smtp test", sc.cfg.nsmtpAction, "521 5.7.0 Error: I can break rules, too. Goodbye.\r\n") {
			return false
		}
	}
	if (cmd == nil || cmd.flags&cmdPayload == 0) && s.flags&(fPipelTodo|fPipelSkip) == fPipelTodo && len(s.input) > 0 {
		sc.log.Infof("COMMAND PIPELINING from [%s]:%s after %s: %s", s.clientAddr, s.clientPort,
			truncate(dict.Printable(name), 100), escapeN(s.input, 100))
		if s.deepFail(tPipel, "pipelining test", sc.cfg.pipelAction, "521 5.5.1 Protocol error\r\n") {
			return false
		}
	}
	if cmd != nil && cmd.name == "RCPT" {
		s.rcptPasses()
	}
	if s.commandCount++; s.commandCount > sc.cfg.cmdCount && !isQuit {
		sc.log.Infof("COMMAND COUNT LIMIT from [%s]:%s after %s", s.clientAddr, s.clientPort, savedWhere)
		s.clearDrop(sc.cfg.busyReply)
		return false
	}
	switch {
	case cmd == nil || cmd.flags&cmdEnable == 0:
		s.sendReply("502 5.5.2 Error: command not recognized\r\n")
	case sc.cfg.enforceTLS && s.flags&fUsingTLS == 0 && cmd.flags&cmdPreTLS == 0:
		s.sendReply("530 5.7.0 Must issue a STARTTLS command first\r\n")
	default:
		cmd.action(s, args)
		if cmd.flags&cmdDestroy != 0 {
			return false
		}
		if cmd.flags&cmdSuspend != 0 {
			return false
		}
	}
	if s.freed {
		return false
	}
	s.setTimer("smtpd", sc.cmdTimeLimit(), s.smtpdTime)
	return true
}

// nonSMTP tells an unknown command that is a mail header, bad UTF-8 or
// forbidden (postscreen_forbidden_commands).
func (s *session) nonSMTP(name string) bool {
	if record.IsHeader([]byte(name)) || s.badUTF8(name) {
		return true
	}
	if s.sc.forbidden != nil {
		ok, _ := s.sc.forbidden.Match(name)
		return ok
	}
	return false
}

// rcptPasses passes the deep tests a client has not failed by the time
// it sends RCPT; later commands can still fail them.
func (s *session) rcptPasses() {
	cfg := s.sc.cfg
	t := now()
	if s.flags&(fBarLFTodo|fBarLFPass|fBarLFFail) == fBarLFTodo {
		s.pass("bare newline test", fBarLFPass)
		s.info.expire[tBarLF] = t + int64(cfg.barlfTTL)
	}
	if s.flags&(fNSMTPTodo|fNSMTPPass|fNSMTPFail) == fNSMTPTodo {
		s.pass("non-smtp test", fNSMTPPass)
		s.info.expire[tNSMTP] = t + int64(cfg.nsmtpTTL)
	}
	if s.flags&(fPipelTodo|fPipelPass|fPipelFail) == fPipelTodo {
		s.pass("pipelining test", fPipelPass)
		s.info.expire[tPipel] = t + int64(cfg.pipelTTL)
	}
}
