package main

import (
	"fmt"
	"time"

	"gopostfix/libglobal/util/stringops"
)

// The early tests run before the SMTP greeting: the pregreet test (the
// client must not talk before its turn) and the DNSBL lookups.

// earlyTests starts them (psc_early_tests): send the first line of a
// multi-line greeting as a teaser, ask the DNSBLs, and wait for the
// client to talk, the DNS replies, or postscreen_greet_wait.
func (s *session) earlyTests() {
	sc := s.sc
	s.beginTests("tests before SMTP handshake")
	if s.flags&fPregrTodo != 0 && sc.cfg.teaser != "" && s.sendReply(sc.cfg.teaser) {
		s.hangup()
		return
	}
	s.dnsblIndex = -1
	if s.flags&fDNSBLTodo != 0 {
		s.dnsblIndex = sc.dnsblRequest(s, s.earlyDNSBLEvent)
	}
	s.dnsblScore = noScore
	if s.flags&fPregrTodo != 0 {
		s.enableRead(readPeek, psReadBufSize-1, s.earlyRead)
	}
	s.setTimer("early", sc.greetWait(), s.earlyTime)
}

// psReadBufSize is PSC_READ_BUF_SIZE.
const psReadBufSize = 1024

// clearEarly stops the early-test events (PSC_CLEAR_EVENT_REQUEST).
func (s *session) clearEarly() {
	s.disableRead()
	s.cancelTimer("early")
}

// collectScore picks up the DNSBL score once (psc_dnsbl_retrieve), with
// the allowlist shortcut for the other tests.
func (s *session) collectScore() {
	s.dnsblScore, s.dnsblName, s.dnsblTTL = s.sc.dnsblRetrieve(s, s.dnsblIndex)
	if s.sc.cfg.dnsblAllowThresh < 0 {
		s.allowlistNonDNSBL()
	}
}

// allowlistNonDNSBL passes the other tests of a client whose combined
// DNSBL score reaches the allowlist threshold (psc_allowlist_non_dnsbl):
// pending or disabled tests count as passed until the DNSBL result
// expires.
func (s *session) allowlistNonDNSBL() {
	cfg := s.sc.cfg
	if s.flags&mAnyFail != 0 || s.dnsblScore >= cfg.dnsblThreshold || cfg.dnsblAllowThresh >= 0 ||
		s.dnsblScore > cfg.dnsblAllowThresh {
		return
	}
	t0 := now()
	for t := 0; t < tCount; t++ {
		if t == tDNSBL {
			continue
		}
		if s.flags&todoOf(t) != 0 && s.flags&passOf(t) == 0 {
			s.verbosef("skip %s test for [%s]:%s", testNames[t], s.clientAddr, s.clientPort)
			s.flags |= doneOf(t) | passOf(t)
		}
		if s.info.expire[t] < t0+int64(s.dnsblTTL) {
			s.info.expire[t] = t0 + int64(s.dnsblTTL)
		}
	}
}

// earlyDNSBLEvent runs when all DNSBL replies are in
// (psc_early_dnsbl_event): collect the score, and end the greet wait
// early when nothing else is pending.
func (s *session) earlyDNSBLEvent() {
	s.verbosef("psc_early_dnsbl_event: notify [%s]:%s", s.clientAddr, s.clientPort)
	s.collectScore()
	s.flags |= fDNSBLDone
	if s.flags&mEarlyDone == todoToDone(s.flags&mEarlyTodo) {
		s.setTimer("early", 0, s.earlyTime)
	}
}

// earlyRead handles input (or the end of it) before the greeting: a
// pregreet (psc_early_event, read case).
func (s *session) earlyRead(data []byte, err error) {
	sc := s.sc
	s.clearEarly()
	if len(data) == 0 || err != nil {
		if s.dnsblScore == noScore && s.flags&fDNSBLTodo != 0 {
			sc.dnsblRetrieve(s, s.dnsblIndex)
		}
		s.hangup()
		return
	}
	elapsed, d := s.deltaTime(s.startTime)
	sc.log.Infof("PREGREET %d after %s from [%s]:%s: %s", len(data), elapsed, s.clientAddr, s.clientPort,
		truncate(stringops.Escape(data), 100))
	s.fail(fPregrFail)
	switch sc.cfg.pregrAction {
	case actDrop:
		if s.dnsblScore == noScore && s.flags&fDNSBLTodo != 0 {
			sc.dnsblRetrieve(s, s.dnsblIndex)
		}
		s.drop("521 5.5.1 Protocol error\r\n")
		return
	case actEnforce:
		s.enforce("550 5.5.1 Protocol error\r\n")
	}
	s.flags |= fPregrDone
	wait, secs := sc.greetWait(), d.Truncate(time.Second)
	if secs >= wait || s.flags&mEarlyDone == todoToDone(s.flags&mEarlyTodo) {
		s.earlyTime()
		return
	}
	s.setTimer("early", wait-secs, s.earlyTime)
}

// earlyTime ends the early tests (psc_early_event, timer case): the
// pregreet test passes if the client kept quiet, the DNSBL score decides
// that test, and the client goes to the dummy SMTP engine for deep tests
// or to smtpd.
func (s *session) earlyTime() {
	sc := s.sc
	cfg := sc.cfg
	s.clearEarly()
	if s.flags&fPregrTodo != 0 && s.flags&(fPregrFail|fPregrDone) == 0 {
		s.info.expire[tPregr] = now() + int64(cfg.pregrTTL)
		s.pass("pregreet test", fPregrPass)
	}
	if s.flags&fPregrFail != 0 && cfg.pregrAction == actIgnore {
		s.unfail(fPregrFail)
	}
	if s.flags&fDNSBLTodo != 0 {
		if s.dnsblScore == noScore {
			s.collectScore()
		}
		if s.dnsblScore < cfg.dnsblThreshold {
			s.info.expire[tDNSBL] = now() + int64(s.dnsblTTL)
			s.pass("dnsbl test", fDNSBLPass)
		} else {
			sc.log.Infof("DNSBL rank %d for [%s]:%s", s.dnsblScore, s.clientAddr, s.clientPort)
			s.fail(fDNSBLFail)
			const format = "%s 5.7.1 Service unavailable; client [%s] blocked using %s\r\n"
			switch cfg.dnsblAction {
			case actDrop:
				s.drop(fmt.Sprintf(format, "521", s.clientAddr, s.dnsblName))
				return
			case actEnforce:
				s.enforce(fmt.Sprintf(format, "550", s.clientAddr, s.dnsblName))
			case actIgnore:
				s.unfail(fDNSBLFail)
			}
		}
	}
	if s.flags&fNoForward != 0 || s.flags&mSmtpdPass != todoToPass(s.flags&mSmtpdTodo) {
		s.smtpdTests()
	} else {
		s.conclude()
	}
}

// truncate is %.Ns.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
