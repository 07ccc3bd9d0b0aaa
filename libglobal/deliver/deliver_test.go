package deliver

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// readRequest decodes a captured request stream without the agent's
// queue file checks.
func readRequest(t *testing.T, b []byte) *Request {
	t.Helper()
	r := attr.NewReader(bytes.NewReader(b), attr.Format0, "test")
	req := &Request{}
	var raw []byte
	var count int
	if n, err := r.Scan(attr.Strict, req.commonTargets(&raw, &count)...); err != nil || n != commonAttrCount {
		t.Fatalf("common: %d %v", n, err)
	}
	st, err := DecodeStats(raw)
	if err != nil {
		t.Fatal(err)
	}
	req.Stats = st
	for i := 0; i < count; i++ {
		var rc Recipient
		if n, err := r.Scan(attr.Strict, rc.Targets()...); err != nil || n != 5 {
			t.Fatalf("rcpt: %d %v", n, err)
		}
		req.Rcpts = append(req.Rcpts, rc)
	}
	return req
}

// TestCapturedRequests decodes requests a real 3.7.11 qmgr sent and
// encodes them again, byte for byte.
func TestCapturedRequests(t *testing.T) {
	for _, name := range []string{"request_error.bin", "request_discard.bin", "request_local.bin"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			req := readRequest(t, b)
			if req.Stats.IncomingArrival.IsZero() || req.Stats.ActiveArrival.Before(req.Stats.IncomingArrival) {
				t.Errorf("stats: %+v", req.Stats)
			}
			if req.QueueName != "active" || len(req.Rcpts) != 1 || req.Rcpts[0].Offset <= 0 {
				t.Errorf("request: %+v", req)
			}
			var out bytes.Buffer
			c := attr.NewConn(nopConn{&out}, attr.Format0, "test", 0)
			if err := WriteRequest(c, req); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), b) {
				t.Errorf("re-encoded request differs:\n got %q\nwant %q", out.Bytes(), b)
			}
		})
	}
}

func TestStatsRoundTrip(t *testing.T) {
	now := time.Unix(1795961097, 123456000)
	s := Stats{IncomingArrival: now, ActiveArrival: now.Add(time.Second), ReuseCount: 3}
	got, err := DecodeStats(s.Encode())
	if err != nil || !got.IncomingArrival.Equal(s.IncomingArrival) || !got.ActiveArrival.Equal(s.ActiveArrival) ||
		!got.AgentHandoff.IsZero() || got.ReuseCount != 3 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := DecodeStats(make([]byte, 10)); err == nil || err.Error() != "msg_stats_scan: size mis-match: 10 != 88" {
		t.Fatalf("err = %v", err)
	}
}

func TestNotifyOK(t *testing.T) {
	for v, want := range map[int]bool{0: false, 1: true, 2: true, 6: true, 14: true, 3: false, 16: false} {
		if NotifyOK(v) != want {
			t.Errorf("NotifyOK(%d) != %v", v, want)
		}
	}
}

// nopConn is a net.Conn writing into a buffer.
type nopConn struct{ w *bytes.Buffer }

func (c nopConn) Read(p []byte) (int, error)       { return 0, os.ErrClosed }
func (c nopConn) Write(p []byte) (int, error)      { return c.w.Write(p) }
func (c nopConn) Close() error                     { return nil }
func (c nopConn) LocalAddr() net.Addr              { return nil }
func (c nopConn) RemoteAddr() net.Addr             { return nil }
func (c nopConn) SetDeadline(time.Time) error      { return nil }
func (c nopConn) SetReadDeadline(time.Time) error  { return nil }
func (c nopConn) SetWriteDeadline(time.Time) error { return nil }

// TestAgentConversation runs both halves over a socket pair with a
// real queue file: request, Completed, reply.
func TestAgentConversation(t *testing.T) {
	dir := t.TempDir()
	l := queue.DefaultLayout(dir)
	if err := os.MkdirAll(filepath.Join(dir, "active"), 0700); err != nil {
		t.Fatal(err)
	}
	var buf []byte
	buf = record.Append(buf, record.Time, []byte("1 0"))
	rcptOff := int64(len(buf))
	buf = record.Append(buf, record.Rcpt, []byte("user@example"))
	buf = record.Append(buf, record.End, nil)
	qf := filepath.Join(dir, "active", "ABCDEF")
	if err := os.WriteFile(qf, buf, 0700); err != nil {
		t.Fatal(err)
	}
	a, b := net.Pipe()
	log := msg.New()
	agent := NewAgent(attr.NewConn(a, attr.Format0, "agent", 5*time.Second), l, log)
	done := make(chan error, 1)
	go func() {
		req, err := agent.ReadRequest()
		if err != nil || req == nil {
			done <- err
			return
		}
		if err := Completed(agent.File, req.Rcpts[0].Offset); err != nil {
			done <- err
			return
		}
		done <- agent.Done(req, StatFinal)
	}()
	qc := attr.NewConn(b, attr.Format0, "private/test", 5*time.Second)
	if err := ReadInitial(qc); err != nil {
		t.Fatal(err)
	}
	req := &Request{Flags: FlagDefault, QueueName: "active", QueueID: "ABCDEF", Nexthop: "example",
		Sender: "s@example", RewriteContext: "local",
		Stats: Stats{IncomingArrival: time.Unix(1, 0), ActiveArrival: time.Now()},
		Rcpts: []Recipient{{Offset: rcptOff, Address: "user@example"}}}
	if err := WriteRequest(qc, req); err != nil {
		t.Fatal(err)
	}
	hop, stat, err := ReadReply(qc)
	if err != nil || stat != StatFinal || hop.Status != "" {
		t.Fatalf("reply %+v %d %v", hop, stat, err)
	}
	qc.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(qf)
	if got[rcptOff] != record.Done {
		t.Fatalf("recipient not marked done: %q", got)
	}
}
