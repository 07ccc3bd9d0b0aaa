package attr

import (
	"testing"
)

// TestConnReset checks that a Conn reset onto a new connection talks to
// the new peer only: bytes left unread from the old one are dropped,
// and the new name shows in errors.
func TestConnReset(t *testing.T) {
	a1, b1 := unixPair(t)
	c := NewConn(a1, Format0, "first", 0)
	b1.Write([]byte("name\x00one\x00\x00name\x00stale\x00\x00"))
	var v string
	if n, err := c.Scan(0, RecvStr("name", &v)); n != 1 || err != nil || v != "one" {
		t.Fatalf("first scan: %d %v %q", n, err, v)
	}
	c.Close()

	a2, b2 := unixPair(t)
	c.Reset(a2, "second", 0)
	if c.R.Name() != "second" || c.R.Buffered() != 0 {
		t.Fatalf("after Reset: name %q, %d bytes buffered", c.R.Name(), c.R.Buffered())
	}
	if err := c.Print(Str("k", "v")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if n, _ := b2.Read(buf); string(buf[:n]) != "k\x00v\x00\x00" {
		t.Fatalf("peer read %q", buf[:n])
	}
	b2.Write([]byte("name\x00two\x00\x00"))
	if n, err := c.Scan(0, RecvStr("name", &v)); n != 1 || err != nil || v != "two" {
		t.Fatalf("second scan: %d %v %q", n, err, v)
	}
	b2.Close()
	if err := c.Wait(); err == nil {
		t.Fatalf("Wait after the peer closed: no error")
	}
}
