package main

import (
	"time"

	"gopostfix/libglobal/logevent"
)

// verbosef logs only at -v (msg_verbose).
func (s *session) verbosef(format string, args ...any) { s.sc.log.Debugf(format, args...) }

func (s *session) pass(what string, bits uint32) {
	s.verbosef("PASS %s [%s]:%s", what, s.clientAddr, s.clientPort)
	s.flags |= bits
}

func (s *session) fail(bits uint32) {
	s.verbosef("FAIL [%s]:%s", s.clientAddr, s.clientPort)
	s.flags |= bits
}

func (s *session) skip(what string, bits uint32) {
	s.verbosef("SKIP %s [%s]:%s", what, s.clientAddr, s.clientPort)
	s.flags |= bits
}

func (s *session) unpass(bits uint32) {
	s.verbosef("UNPASS [%s]:%s", s.clientAddr, s.clientPort)
	s.flags &^= bits
}

func (s *session) unfail(bits uint32) {
	s.verbosef("UNFAIL [%s]:%s", s.clientAddr, s.clientPort)
	s.flags &^= bits
}

// drop ends the session with reply (PSC_DROP_SESSION_STATE).
func (s *session) drop(reply string) {
	s.verbosef("DROP [%s]:%s", s.clientAddr, s.clientPort)
	s.flags |= fNoForward
	s.finalReply = reply
	s.conclude()
}

// enforce keeps the client talking to the dummy engine, which refuses
// its recipients with reply (PSC_ENFORCE_SESSION_STATE).
func (s *session) enforce(reply string) {
	s.verbosef("ENFORCE [%s]:%s", s.clientAddr, s.clientPort)
	s.rcptReply = reply
	s.flags |= fNoForward
}

// x21 makes the dummy engine answer the next command with reply and hang
// up (PSC_SMTPD_X21).
func (s *session) x21(reply string) {
	s.flags |= fSmtpdX21
	s.finalReply = reply
	s.smtpdTests()
}

// conclude ends the screening (psc_conclude): it logs PASS NEW or PASS
// OLD when every pending test passed, saves the test results in the
// cache, and hands the client to smtpd or says goodbye.
func (s *session) conclude() {
	sc := s.sc
	s.verbosef("flags for psc_conclude: %s", flagString(s.flags))
	if s.flags&mAnyFail != 0 {
		s.flags &^= mAnyPass
	}
	if passed := s.flags & mAnyPass; passed != 0 && passed == todoToPass(s.flags&mAnyTodo) {
		age := "OLD"
		if s.flags&fNew != 0 {
			if s.info.passNewCount == 0 {
				age = "NEW"
			}
			s.info.passNewCount++
		}
		sc.log.Infof("PASS %s [%s]:%s", age, s.clientAddr, s.clientPort)
	}
	if s.flags&mAnyUpdate != 0 && sc.cache != nil {
		sc.timed(&sc.latency.cacheUpdate, sc.cache.Name(), "update", func() {
			sc.cache.Update(s.clientAddr, sc.printTests(s))
		})
	}
	if s.flags&fNoForward == 0 {
		s.sendSocket()
		return
	}
	if s.flags&fHangup == 0 {
		s.sendReply(s.finalReply)
	}
	sc.log.Infof("DISCONNECT [%s]:%s", s.clientAddr, s.clientPort)
	s.free()
}

// hangup handles a client that went away (psc_hangup_event): not a test
// failure, but the end of the session.
func (s *session) hangup() {
	s.flags |= fHangup
	elapsed, _ := s.deltaTime(s.startTime)
	s.sc.log.Infof("HANGUP after %s from [%s]:%s in %s", elapsed, s.clientAddr, s.clientPort, s.testName)
	s.flags |= fNoForward
	s.conclude()
}

// deltaTime formats the time since start as psc_format_delta_time does:
// two significant digits, at most delay_logging_resolution_limit
// decimals.
func (s *session) deltaTime(start time.Time) (string, time.Duration) {
	d := max(time.Since(start), 0)
	return logevent.FormatTV(int64(d/time.Second), int64(d%time.Second/time.Microsecond), 2, s.sc.cfg.delayRes), d
}
