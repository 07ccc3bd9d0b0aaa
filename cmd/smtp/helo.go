package main

import (
	"strconv"
	"strings"

	"gopostfix/libglobal/ehlomask"
)

// helo runs the greeting, EHLO/HELO/LHLO, STARTTLS and AUTH
// (smtp_helo). A non-zero result means the session failed.
func (st *state) helo() int {
	s, cfg := st.sess, st.ag.cfg
	st.savedFeatures = s.features
	if cfg.tls.wrapperMode && st.flags&flagInStartTLS == 0 {
		st.flags |= flagInStartTLS
		s.st.setup(cfg.starttlsTimeout, cfg.perRequestDeadline)
		res := st.startTLS()
		st.flags &^= flagInStartTLS
		return res
	}
	s.st.setup(cfg.heloTimeout, cfg.perRequestDeadline)
	var resp response
	var err error
	if cfg.tls.wrapperMode || st.flags&flagInStartTLS == 0 {
		where := "receiving the initial server greeting"
		if resp, err = s.resp(); err != nil {
			return st.streamExcept(err, where)
		}
		if resp.code/100 != 2 {
			if resp.code/100 == 5 && cfg.skip5xxGreeting {
				resp.dsn = "4" + resp.dsn[1:]
			}
			return st.siteFail(st.it.host, resp, "host %s refused to talk to me: %s", s.namaddr, resp.oneLine())
		}
		if st.tls != nil && st.tls.level == tlsInvalid {
			return st.siteFail("", fake("4.7.0"), "client TLS configuration problem")
		}
		st.pixWorkarounds(resp.str)
		rest := resp.str
		strtok(&rest, "- \t\n")
		for n := 0; ; n++ {
			w := strtok(&rest, " \t\n")
			if w == "" {
				break
			}
			if n == 0 && strings.EqualFold(w, cfg.myhostname) {
				if st.flags&flagLoopDetect != 0 {
					st.ag.log.Warnf("host %s greeted me with my own hostname %s", s.namaddrport, cfg.myhostname)
				}
			} else if strings.EqualFold(w, "ESMTP") {
				s.features |= featESMTP
			}
		}
		if !cfg.lmtp {
			if cfg.alwaysEHLO && s.features&featPixNoESMTP == 0 {
				s.features |= featESMTP
			}
			if cfg.neverEHLO || s.features&featPixNoESMTP != 0 {
				s.features &^= featESMTP
			}
		} else {
			s.features |= featESMTP
		}
	} else {
		s.features |= featESMTP
	}
	if res, done := st.sendHelo(); done {
		return res
	}
	if s.features&featESMTP != 0 {
		if res := st.ehloFeatures(resp); res != 0 {
			return res
		}
	}
	return st.afterEHLO()
}

// sendHelo sends EHLO (falling back to HELO) or LHLO and keeps the reply
// in st.ehloReply; done reports a finished (failed) session.
func (st *state) sendHelo() (int, bool) {
	s, cfg := st.sess, st.ag.cfg
	// greet sends one of LHLO, EHLO or HELO and keeps the reply. A
	// rejected EHLO (other than 421) turns ESMTP off for the HELO that
	// follows; any other rejection ends the session.
	greet := func(verb string) (int, bool) {
		where := "performing the " + verb + " handshake"
		if err := s.cmd("%s %s", verb, cfg.heloName); err != nil {
			return st.streamExcept(err, where), true
		}
		r, err := s.resp()
		if err != nil {
			return st.streamExcept(err, where), true
		}
		if r.code/100 != 2 {
			if verb != "EHLO" || r.code == 421 {
				return st.siteFail(st.it.host, r, "host %s refused to talk to me: %s", s.namaddr, r.oneLine()), true
			}
			s.features &^= featESMTP
		}
		st.ehloReply = r
		return 0, false
	}
	if cfg.lmtp {
		return greet("LHLO")
	}
	if s.features&featESMTP != 0 {
		if res, done := greet("EHLO"); done {
			return res, true
		}
	}
	if s.features&featESMTP == 0 {
		return greet("HELO")
	}
	return 0, false
}

// xforwardFeatures maps XFORWARD attribute names to features.
var xforwardFeatures = map[string]int{
	"NAME": featXfwdName, "ADDR": featXfwdAddr, "PORT": featXfwdPort, "PROTO": featXfwdProto,
	"HELO": featXfwdHelo, "IDENT": featXfwdIdent, "SOURCE": featXfwdDomain,
}

// ehloFeatures parses the EHLO reply's keywords, minus the discarded
// ones; a server that answers with my own name is a mail loop.
func (st *state) ehloFeatures(_ response) int {
	s, cfg := st.sess, st.ag.cfg
	words, err := st.ag.ehloDiscardWords(st.it.addr)
	if err != nil {
		st.ag.log.Warnf("%s: %s map lookup error for %s", st.req.QueueID, st.ag.par.name("smtp_discard_ehlo_keyword_address_maps"), st.it.addr)
		return st.streamExcept(errData, "performing the EHLO handshake")
	}
	mask := ehlomask.Mask(words)
	if mask != 0 && mask&ehlomask.Silent == 0 {
		st.ag.log.Infof("discarding EHLO keywords: %s", ehlomask.String(mask))
	}
	n := 0
	for _, line := range strings.Split(st.ehloReply.str, "\n") {
		rest := line
		if strtok(&rest, "- ") == "" {
			continue
		}
		word := strtok(&rest, " \t=")
		if word == "" {
			continue
		}
		switch {
		case n == 0:
			s.helo = word
			if strings.EqualFold(word, cfg.myhostname) && st.flags&flagLoopDetect != 0 {
				st.ag.log.Warnf("host %s replied to HELO/EHLO with my own hostname %s", s.namaddrport, cfg.myhostname)
				status := "4.4.6"
				if s.features&featBestMX != 0 {
					status = "5.4.6"
				}
				return st.siteFail("", fake(status), "mail for %s loops back to myself", st.req.Nexthop)
			}
		case strings.EqualFold(word, "8BITMIME"):
			if mask&ehlomask.EightBitMIME == 0 {
				s.features |= feat8BitMIME
			}
		case strings.EqualFold(word, "PIPELINING"):
			if mask&ehlomask.Pipelining == 0 {
				s.features |= featPipelining
			}
		case strings.EqualFold(word, "XFORWARD"):
			if mask&ehlomask.Xforward == 0 {
				for a := strtok(&rest, " \t"); a != ""; a = strtok(&rest, " \t") {
					s.features |= xforwardFeatures[strings.ToUpper(a)]
				}
			}
		case strings.EqualFold(word, "SIZE"):
			if mask&ehlomask.Size == 0 {
				s.features |= featSize
				if a := strtok(&rest, " \t"); a != "" {
					if !allDigits(a) {
						st.ag.log.Warnf("bad EHLO SIZE limit \"%s\" from %s", a, s.namaddrport)
					} else {
						s.sizeLimit, _ = strconv.ParseInt(a, 10, 64)
					}
				}
			}
		case strings.EqualFold(word, "STARTTLS"):
			if mask&ehlomask.StartTLS == 0 {
				s.features |= featStartTLS
			}
		case cfg.sasl.enable && strings.EqualFold(word, "AUTH"):
			if mask&ehlomask.Auth == 0 {
				st.saslHeloAuth(rest)
			}
		case strings.EqualFold(word, "DSN"):
			if mask&ehlomask.DSN == 0 {
				s.features |= featDSN
			}
		case strings.EqualFold(word, "SMTPUTF8"):
			if mask&ehlomask.SMTPUTF8 == 0 {
				s.features |= featSMTPUTF8
			}
		}
		n++
	}
	return 0
}

// afterEHLO checks SMTPUTF8, then runs STARTTLS and AUTH.
func (st *state) afterEHLO() int {
	s, req := st.sess, st.req
	const requested = 1
	if s.features&featSMTPUTF8 == 0 && req.SMTPUTF8&requested != 0 && req.SMTPUTF8&^requested != 0 {
		return st.mesgFail("", fake("5.6.7"), "SMTPUTF8 is required, but was not offered by host %s", s.namaddr)
	}
	if s.features&featSMTPUTF8 != 0 && s.features&feat8BitMIME == 0 {
		st.ag.log.Infof("host %s offers SMTPUTF8 support, but not 8BITMIME", s.namaddr)
		s.features |= feat8BitMIME
	}
	if st.flags&flagInStartTLS == 0 {
		if res, done := st.tryStartTLS(); done {
			return res
		}
	}
	if st.ag.cfg.sasl.enable && s.features&featAuth != 0 {
		return st.saslLogin()
	}
	return 0
}

// strtok returns the next token of *s delimited by any of sep and
// advances *s past it (mystrtok); "" at the end.
func strtok(s *string, sep string) string {
	t := strings.TrimLeft(*s, sep)
	if t == "" {
		*s = ""
		return ""
	}
	i := strings.IndexAny(t, sep)
	if i < 0 {
		*s = ""
		return t
	}
	*s = t[i+1:]
	return t[:i]
}
