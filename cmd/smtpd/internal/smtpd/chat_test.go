package smtpd

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// chat runs one session over an in-memory connection: it sends each
// client line (with CRLF) after reading the previous reply, and returns
// every reply line and the log.
func chat(t *testing.T, p fakeParams, deps *Deps, client Client, lines ...string) (replies, log []string) {
	t.Helper()
	capture := &msg.Capture{}
	deps.Log = msg.New(capture)
	server, conn := net.Pipe()
	ss := NewSession(NewConfig(p), deps, server, client)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer server.Close()
		ss.Serve()
	}()
	r := bufio.NewReader(conn)
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	readReply := func() {
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			l = strings.TrimSuffix(l, "\r\n")
			replies = append(replies, l)
			if len(l) < 4 || l[3] != '-' {
				return
			}
		}
	}
	readReply()
	for _, l := range lines {
		if _, err := conn.Write([]byte(l + "\r\n")); err != nil {
			break
		}
		readReply()
	}
	conn.Close()
	<-done
	return replies, capture.Lines
}
