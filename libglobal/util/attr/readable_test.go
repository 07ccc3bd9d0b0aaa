package attr

import (
	"net"
	"testing"
	"time"
)

// TestReadable checks the readable test on a UNIX-domain stream: quiet
// peer, peer that sent data, peer that hung up (what auto_clnt-style
// clients look at before they reuse a connection).
func TestReadable(t *testing.T) {
	cu, srv := unixPair(t)
	c := NewConn(cu, FormatPlain, "s", 5*time.Second)
	if c.Readable() {
		t.Fatal("quiet peer: readable")
	}
	if _, err := srv.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if !waitReadable(c) {
		t.Fatal("peer sent data: not readable")
	}
	if b, err := c.R.br.ReadByte(); err != nil || b != 'x' {
		t.Fatalf("read %q %v, the readable test must not consume data", b, err)
	}
	if c.Readable() {
		t.Fatal("data consumed: still readable")
	}
	srv.Close()
	if !waitReadable(c) {
		t.Fatal("peer hung up: not readable")
	}
	// A net.Pipe is no socket: the test says "not readable" as before.
	p1, p2 := net.Pipe()
	defer p1.Close()
	defer p2.Close()
	if NewConn(p1, FormatPlain, "pipe", time.Second).Readable() {
		t.Fatal("pipe: readable")
	}
}

// waitReadable polls c for at most a second (the peer's write or close
// reaches the socket at once on Linux; the bound is for slow machines).
func waitReadable(c *Conn) bool {
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if c.Readable() {
			return true
		}
	}
	return false
}
