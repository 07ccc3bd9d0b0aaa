package smtpd

import (
	"bufio"
	"net"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// nullMessage takes records and forgets them, so that the benchmark
// measures the engine.
type nullMessage struct{}

func (nullMessage) ID() string                { return "9683D98A001" }
func (nullMessage) Record(byte, string) error { return nil }
func (nullMessage) Finish() (int, string)     { return StatOK, "" }
func (nullMessage) Abort()                    {}
func (nullMessage) SendMilters(Milters) error { return nil }
func (nullQueue) Open(int) (Message, error)   { return nullMessage{}, nil }

type nullQueue struct{}

// BenchmarkSession runs the benchmark's session (smtp-source: HELO, one
// 5 KB message, QUIT) over an in-memory connection.
func BenchmarkSession(b *testing.B) {
	body := strings.Repeat(strings.Repeat("x", 76)+"\r\n", 65)
	script := []string{"HELO vm\r\n", "MAIL FROM:<sender@example.org>\r\n", "RCPT TO:<rcpt@example.net>\r\n",
		"DATA\r\n", "From: <sender@example.org>\r\nTo: <rcpt@example.net>\r\n\r\n" + body + ".\r\n", "QUIT\r\n"}
	cfg := NewConfig(baseParams())
	deps := newTestDeps(&msg.Capture{}, []string{"mx.example.com"})
	deps.Log = msg.New(discardSink{})
	deps.Queue = nullQueue{}
	client := Client{Name: "localhost", Addr: "127.0.0.1", Port: "4000"}
	b.ReportAllocs()
	for b.Loop() {
		server, conn := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer server.Close()
			d := *deps
			NewSession(cfg, &d, server, client).Serve()
		}()
		r := bufio.NewReader(conn)
		reply := func() string {
			for {
				l, err := r.ReadString('\n')
				if err != nil || len(l) < 4 || l[3] != '-' {
					return l
				}
			}
		}
		reply()
		for _, l := range script {
			conn.Write([]byte(l))
			if got := reply(); got == "" || got[0] > '3' {
				b.Fatalf("%q: %q", l, got)
			}
		}
		conn.Close()
		<-done
	}
}

type discardSink struct{}

func (discardSink) Emit(msg.Level, string) {}
