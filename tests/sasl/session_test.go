package sasl

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"time"

	pfx "gopostfix/tests/internal/instance"
)

// step is one client line: fixed text, or computed from the last reply
// (a CRAM-MD5 answer to the server's challenge).
type step struct {
	send string
	fn   func(lastReply string) string
}

// startTLS as a step starts TLS on the connection (after the client
// sent STARTTLS and read the 220).
const startTLS = "<TLS>"

// transcript is what the server answered: the greeting, then one reply
// (its lines joined by "\n") per step.
type transcript struct {
	replies []string
	err     error
}

// runSession connects to addr and plays the steps, reading one complete
// reply after each; every read and write is bounded.
func runSession(addr string, steps []step) transcript {
	return runSessionLimit(addr, steps, 15*time.Second)
}

// runSessionLimit is runSession with limit for each read.
func runSessionLimit(addr string, steps []step, limit time.Duration) transcript {
	var tr transcript
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		tr.err = err
		return tr
	}
	defer c.Close()
	r := bufio.NewReader(c)
	read := func() (string, error) {
		var lines []string
		for {
			c.SetReadDeadline(time.Now().Add(limit))
			line, err := r.ReadString('\n')
			if err != nil {
				if len(lines) == 0 && line == "" {
					return "<EOF>", nil
				}
				return strings.Join(lines, "\n"), err
			}
			line = strings.TrimRight(line, "\r\n")
			lines = append(lines, line)
			if len(line) < 4 || line[3] != '-' {
				return strings.Join(lines, "\n"), nil
			}
		}
	}
	last, err := read()
	tr.replies = append(tr.replies, last)
	if err != nil {
		tr.err = err
		return tr
	}
	for _, st := range steps {
		if st.send == startTLS {
			tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true, ServerName: "mx.example.com"})
			tc.SetDeadline(time.Now().Add(10 * time.Second))
			if err := tc.Handshake(); err != nil {
				tr.err = err
				return tr
			}
			c, r = tc, bufio.NewReader(tc)
			tr.replies = append(tr.replies, startTLS)
			continue
		}
		line := st.send
		if st.fn != nil {
			line = st.fn(last)
		}
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := fmt.Fprintf(c, "%s\r\n", line); err != nil {
			tr.err = err
			return tr
		}
		if last, err = read(); err != nil {
			tr.err = err
		}
		tr.replies = append(tr.replies, last)
		if err != nil || last == "<EOF>" {
			return tr
		}
	}
	return tr
}

var logPrefix = regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ postfix/([\w-]+)\[\d+\]: (.*)$`)

// logSince returns what prog logged after offset, waiting (bounded) for
// the session's "disconnect from" line or a fatal error.
func logSince(path string, offset int64, prog string) []string {
	var out []string
	pfx.WaitFor(10*time.Second, func() bool {
		out = out[:0]
		data, err := os.ReadFile(path)
		if err != nil || int64(len(data)) < offset {
			return false
		}
		done := false
		for _, l := range strings.Split(string(data[offset:]), "\n") {
			m := logPrefix.FindStringSubmatch(l)
			if m == nil || m[1] != prog {
				continue
			}
			out = append(out, m[2])
			if strings.HasPrefix(m[2], "disconnect from ") || strings.HasPrefix(m[2], "fatal: ") {
				done = true
			}
		}
		return done
	})
	return out
}

func logSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
