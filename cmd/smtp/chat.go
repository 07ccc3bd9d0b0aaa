package main

import (
	"fmt"
	"strconv"
	"strings"

	"gopostfix/libglobal/dsn"
)

// response is one server reply (SMTP_RESP): the code (0 when it had no
// three-digit code), the enhanced status code and the text, one line per
// reply line. A fake response made by the client itself has Local set.
type response struct {
	code  int
	dsn   string
	str   string
	local bool
}

// fake is SMTP_RESP_FAKE: a status made up by the client.
func fake(status string) response { return response{dsn: status, local: true} }

// oneLine is the reply text with its lines joined by spaces, the form
// used in log and bounce texts (translit "\n" to " ").
func (r response) oneLine() string { return strings.ReplaceAll(r.str, "\n", " ") }

// printable replaces non-printable bytes as Postfix's printable() does.
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c == 0x7f {
			b[i] = '?'
		}
	}
	return string(b)
}

// cmd sends one command (smtp_chat_cmd) and records it in the session
// transcript.
func (s *session) cmd(format string, args ...any) error {
	line := fmt.Sprintf(format, args...)
	s.history = append(s.history, "Out: "+line)
	s.log.Debugf("> %s: %s", s.namaddrport, line)
	return s.st.fputs([]byte(line))
}

// resp reads one complete reply (smtp_chat_resp): lines until one with
// "NNN " (or "NNN" alone); lines without a three-digit code are kept in
// the text, mark the session as having a protocol problem, and are
// warned about when pipelining.
func (s *session) resp() (response, error) {
	var text []string
	var last string
	threeDigits := false
	skipped := 0
	for {
		line, long, err := s.st.getLine(s.lineLimit)
		if err != nil {
			return response{}, err
		}
		line = printable(line)
		if long {
			s.log.Warnf("%s: response longer than %d: %.30s...", s.namaddrport, s.lineLimit, line)
		}
		s.log.Debugf("< %s: %.100s", s.namaddrport, line)
		appendOK := textLen(text) < s.lineLimit
		if appendOK {
			s.history = append(s.history, "In:  "+line)
		} else {
			if skipped == 0 {
				s.log.Warnf("%s: multi-line response longer than %d %.30s...", s.namaddrport, s.lineLimit, strings.Join(text, "\n"))
			}
			skipped++
		}
		if s.replyFilter != nil {
			v, found, err := s.replyFilter.Lookup(line)
			switch {
			case found:
				s.log.Infof("%s: replacing server reply \"%s\" with \"%s\"", s.namaddrport, line, v)
				line = v
				if appendOK {
					s.history = append(s.history, "Replaced-by: ", "     "+v)
				}
			case err != nil:
				s.log.Warnf("%s: table %s:%s lookup error for %s", s.queueID, s.replyFilter.Type(), s.replyFilter.Name(), line)
				return response{}, errData
			}
		}
		if appendOK {
			text = append(text, line)
		}
		last = line
		n := 0
		for n < len(line) && line[n] >= '0' && line[n] <= '9' {
			n++
		}
		if threeDigits = n == 3; threeDigits {
			if len(line) > 3 && line[3] == '-' {
				continue
			}
			if len(line) == 3 || line[3] == ' ' {
				break
			}
		}
		s.errorMask |= errorProtocol
		s.dontCache()
		if s.features&featPipelining != 0 {
			mode := "ESMTP"
			if s.lmtp {
				mode = "LMTP"
			}
			s.log.Warnf("%s: non-%s response from %s: %.100s", s.queueID, mode, s.namaddrport, line)
			if s.helpful {
				s.log.Warnf("to prevent loss of mail, turn off command pipelining for %s with the %s parameter",
					s.addr, s.ehloDiscardMapsName)
			}
		}
	}
	r := response{str: strings.Join(text, "\n"), dsn: "5.5.0"}
	if threeDigits {
		r.code, _ = strconv.Atoi(last[:3])
		if strings.IndexByte("245", last[0]) >= 0 {
			rest := strings.TrimLeft(last[min(4, len(last)):], " ")
			if n := dsn.Valid(rest); n > 0 && rest[0] == last[0] {
				r.dsn = rest[:n]
			} else {
				r.dsn = string(last[0]) + ".0.0"
			}
		}
	}
	return r, nil
}

// textLen is the length of the lines joined with newlines.
func textLen(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return max(n-1, 0)
}
