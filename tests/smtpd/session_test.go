package smtpd

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"time"
)

// transcript is what one side answered in a session.
type transcript struct {
	replies []string   // server lines in order; "<EOF>" when it hung up
	groups  [][]string // the same, split by the client block they followed
	err     error      // a client-side failure (connect, write, timeout)
}

// runSession plays the client lines of sc against addr. In normal mode
// it reads exactly as many lines as the script expects after each client
// block; with discover set it reads until the server is quiet for a
// moment (used to write the expected lines from the real smtpd).
func runSession(sc *script, addr string, discover bool) transcript {
	var tr transcript
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(sc.from)}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		tr.err = err
		return tr
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	eof := false
	readLine := func(limit time.Duration) (string, bool) {
		conn.SetReadDeadline(time.Now().Add(limit))
		line, err := r.ReadString('\n')
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return "", false
			}
			if err == io.EOF || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") {
				eof = true
				tr.replies = append(tr.replies, "<EOF>")
			} else {
				tr.err = err
			}
			return "", false
		}
		tr.replies = append(tr.replies, strings.TrimSuffix(line, "\r\n"))
		return line, true
	}
	// quiet reads until the server falls silent: up to 3s for a first
	// line, then 250ms after each complete reply.
	quiet := func() {
		wait := 3 * time.Second
		for !eof {
			line, ok := readLine(wait)
			if !ok {
				return
			}
			if len(line) > 3 && line[3] == '-' {
				wait = 3 * time.Second
			} else {
				wait = 250 * time.Millisecond
			}
		}
	}
	mark := func() {
		n := 0
		for _, g := range tr.groups {
			n += len(g)
		}
		tr.groups = append(tr.groups, append([]string(nil), tr.replies[n:]...))
	}
	if discover {
		quiet() // the greeting
		mark()
	}
	for _, b := range sc.blocks() {
		if b[0].client {
			var out strings.Builder
			for _, st := range b {
				out.WriteString(st.data)
			}
			conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := conn.Write([]byte(out.String())); err != nil && !eof {
				if discover {
					readLine(time.Second)
					mark()
				}
				tr.err = err
				return tr
			}
			if discover {
				quiet()
				mark()
			}
			continue
		}
		if discover {
			continue
		}
		for range b {
			if eof {
				break
			}
			if _, ok := readLine(10 * time.Second); !ok && !eof {
				tr.err = errors.New("timeout waiting for a reply")
				return tr
			}
		}
	}
	return tr
}

// logWatch collects one program's log lines written after a point.
type logWatch struct {
	path   string
	offset int64
}

func newLogWatch(path string) logWatch {
	st, err := os.Stat(path)
	if err != nil {
		return logWatch{path: path}
	}
	return logWatch{path: path, offset: st.Size()}
}

var logPrefix = regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ postfix/([\w-]+)\[\d+\]: (.*)$`)

// lines returns the messages logged by prog since the watch began,
// waiting (bounded) for its "disconnect from" line.
func (w logWatch) lines(prog string) []string {
	var out []string
	waitFor(5*time.Second, func() bool {
		out = out[:0]
		data, err := os.ReadFile(w.path)
		if err != nil || int64(len(data)) < w.offset {
			return false
		}
		done := false
		for _, l := range strings.Split(string(data[w.offset:]), "\n") {
			m := logPrefix.FindStringSubmatch(l)
			if m == nil || m[1] != prog {
				continue
			}
			out = append(out, m[2])
			if strings.HasPrefix(m[2], "disconnect from ") {
				done = true
			}
		}
		return done
	})
	return out
}

var (
	queueID     = regexp.MustCompile(`\b[0-9A-F]{8,12}\b`)
	serviceName = regexp.MustCompile(`service 127\.0\.0\.1:23\d\d\d`)
	// The free space in a queue_minfree warning changes between runs.
	freeSpace = regexp.MustCompile(`queue: \d+ bytes`)
)

// mask hides what differs between two runs of the same session, and the
// service name (the listen address) that differs between the two sides.
func mask(s string) string {
	s = freeSpace.ReplaceAllString(s, "queue: N bytes")
	return serviceName.ReplaceAllString(queueID.ReplaceAllString(s, "QUEUEID"), "service SERVICE")
}
