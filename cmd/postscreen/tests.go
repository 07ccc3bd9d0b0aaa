package main

import (
	"fmt"
	"strconv"
	"strings"
)

// enabled reports which tests the configuration turns on.
func (c *config) enabled(t int) bool {
	switch t {
	case tPregr:
		return c.teaser != ""
	case tDNSBL:
		return c.dnsblSites != ""
	case tPipel:
		return c.pipelEnable
	case tNSMTP:
		return c.nsmtpEnable
	case tBarLF:
		return c.barlfEnable
	}
	return false
}

// newTests starts a client without history: every test never passed
// (psc_new_tests).
func (sc *screen) newTests(s *session) {
	for i := range s.info.expire {
		s.info.expire[i] = stampNew
	}
	sc.todoTests(s, stampNew+1)
}

// parseTests loads test expiration times from a cache entry
// "t0;t1;t2;t3;t4" (psc_parse_tests). A missing or malformed field
// counts as a test that was disabled when the entry was written, so that
// entries of older versions with fewer tests still work. After a
// malformed field the parser does not move past it, as Postfix's.
func (sc *screen) parseTests(s *session, entry string, when int64) {
	start := entry
	for i := range s.info.expire {
		v, rest, ok := strtoul(start)
		if start == "" || rest != "" && rest[0] != ';' || !ok {
			v = stampDisabled
		}
		s.info.expire[i] = v
		if rest != "" && rest[0] == ';' {
			start = rest[1:]
		} else {
			start = rest
		}
	}
	sc.todoTests(s, when)
}

// strtoul parses like strtoul(3) in base 10: optional white space and
// sign, then digits; rest is what follows them (all of s when there are
// none). ok is false on overflow. The value is returned as time_t would
// hold it.
func strtoul(s string) (v int64, rest string, ok bool) {
	i := len(s) - len(strings.TrimLeft(s, " \t\n\r\f\v"))
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0, s, true
	}
	u, err := strconv.ParseUint(s[i:j], 10, 64)
	if err != nil {
		return 0, s[j:], false
	}
	if neg {
		u = -u
	}
	return int64(u), s[j:], true
}

// todoTests decides which tests must run (psc_todo_tests): enabled tests
// whose results expired by when; fNew when some test was never passed.
func (sc *screen) todoTests(s *session, when int64) {
	s.flags = 0
	for _, t := range s.info.expire {
		if t == stampNew {
			s.flags |= fNew
		}
	}
	for t := 0; t < tCount; t++ {
		if sc.cfg.enabled(t) && when > s.info.expire[t] {
			s.flags |= todoOf(t)
		}
	}
}

// printTests formats the cache entry (psc_print_tests); tests that were
// never passed and are disabled get the "disabled" stamp, so that turning
// them on later does not make old clients "new".
func (sc *screen) printTests(s *session) string {
	e := &s.info.expire
	for t := 0; t < tCount; t++ {
		if !sc.cfg.enabled(t) && e[t] == stampNew {
			e[t] = stampDisabled
		}
	}
	return fmt.Sprintf("%d;%d;%d;%d;%d", uint64(e[0]), uint64(e[1]), uint64(e[2]), uint64(e[3]), uint64(e[4]))
}
