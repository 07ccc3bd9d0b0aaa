package smtpd

import (
	"bufio"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// proxyScript says how the test's before-queue filter answers: replies
// maps a command prefix (upper case, matched against the start of the
// upper-cased command line; the longest match wins) to a reply, whose
// lines are separated by "\n". "GREETING" is the banner and "." the end
// of data. Two special replies: "HANG" (no answer) and "CLOSE" (hang
// up). What no entry covers gets a plain positive answer.
type proxyScript map[string]string

var proxyDefaults = proxyScript{
	"GREETING": "220 filter.example ESMTP",
	"EHLO":     "250-filter.example\n250-PIPELINING\n250 8BITMIME",
	"XFORWARD": "250 2.0.0 Ok",
	"MAIL":     "250 2.1.0 Ok",
	"RCPT":     "250 2.1.5 Ok",
	"DATA":     "354 End data with <CR><LF>.<CR><LF>",
	".":        "250 2.0.0 Ok: queued as 4F00A1B2C3D",
	"RSET":     "250 2.0.0 Ok",
	"QUIT":     "221 2.0.0 Bye",
}

// proxyServer is a small scriptable SMTP server that records every line
// it receives: "CONNECT", "> command", "| content line", "CLOSED".
type proxyServer struct {
	ln     net.Listener
	mu     sync.Mutex
	script proxyScript
	log    []proxyLogLine
	open   int
	conns  []net.Conn
}

// proxyLogLine is a logged line and the connection it came from.
type proxyLogLine struct {
	conn int
	text string
}

// startProxyServer listens on a TCP address, or with a leading '/' on
// a UNIX-domain socket that everyone may connect to.
func startProxyServer(t *testing.T, addr string) *proxyServer {
	t.Helper()
	network := "tcp"
	if strings.HasPrefix(addr, "/") {
		network = "unix"
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	if network == "unix" {
		if err := os.Chmod(addr, 0666); err != nil {
			t.Fatal(err)
		}
	}
	ps := &proxyServer{ln: ln}
	t.Cleanup(func() {
		ln.Close()
		ps.mu.Lock()
		for _, c := range ps.conns {
			c.Close()
		}
		ps.mu.Unlock()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			ps.mu.Lock()
			ps.open++
			ps.conns = append(ps.conns, c)
			id := len(ps.conns)
			ps.log = append(ps.log, proxyLogLine{id, "CONNECT"})
			ps.mu.Unlock()
			go ps.serve(c, id)
		}
	}()
	return ps
}

// setScript replaces the script and returns the log length so far.
func (ps *proxyServer) setScript(s proxyScript) int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.script = s
	return len(ps.log)
}

func (ps *proxyServer) add(id int, line string) {
	ps.mu.Lock()
	ps.log = append(ps.log, proxyLogLine{id, line})
	ps.mu.Unlock()
}

// reply finds the scripted reply to a command line.
func (ps *proxyServer) reply(line string) string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	up := strings.ToUpper(line)
	best, reply := -1, ""
	for _, s := range []proxyScript{proxyDefaults, ps.script} {
		for k, v := range s {
			if strings.HasPrefix(up, k) && len(k) >= best {
				best, reply = len(k), v
			}
		}
	}
	return reply
}

// since returns the log after the first skip lines once every
// connection has ended (waiting at most ten seconds), connection by
// connection.
func (ps *proxyServer) since(skip int) []string {
	var lines []proxyLogLine
	waitFor(10*time.Second, func() bool {
		ps.mu.Lock()
		defer ps.mu.Unlock()
		lines = append([]proxyLogLine(nil), ps.log[min(skip, len(ps.log)):]...)
		return ps.open == 0
	})
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].conn < lines[j].conn })
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return out
}

func (ps *proxyServer) serve(c net.Conn, id int) {
	defer func() {
		c.Close()
		ps.mu.Lock()
		ps.open--
		ps.log = append(ps.log, proxyLogLine{id, "CLOSED"})
		ps.mu.Unlock()
	}()
	r := bufio.NewReader(c)
	send := func(reply string) bool {
		switch reply {
		case "HANG":
			// Wait for the client to give up.
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, _ = r.ReadString('\n')
			return false
		case "CLOSE":
			return false
		}
		_, err := c.Write([]byte(strings.ReplaceAll(reply, "\n", "\r\n") + "\r\n"))
		return err == nil
	}
	if !send(ps.reply("GREETING")) {
		return
	}
	for {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\r\n")
		ps.add(id, "> "+line)
		reply := ps.reply(line)
		if !send(reply) {
			return
		}
		if strings.EqualFold(line, "QUIT") {
			return
		}
		if !strings.EqualFold(line, "DATA") || !strings.HasPrefix(reply, "3") {
			continue
		}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\r\n")
			if line == "." {
				ps.add(id, "> .")
				break
			}
			ps.add(id, "| "+line)
		}
		if !send(ps.reply(".")) {
			return
		}
	}
}
