package main

import (
	"net"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// TestBiffNotify: a notice is the login name, "@", the offset of the new
// message and a NUL, in one datagram; the socket is reused.
func TestBiffNotify(t *testing.T) {
	l, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	b := &biffer{log: msg.New(), addr: l.LocalAddr().(*net.UDPAddr)}
	for _, tc := range []struct {
		user   string
		offset int64
		want   string
	}{
		{"nobody", 0, "nobody@0\x00"},
		{"alice", 123456, "alice@123456\x00"},
	} {
		b.notify(tc.user, tc.offset)
		buf := make([]byte, 100)
		l.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _, err := l.ReadFromUDP(buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(buf[:n]); got != tc.want {
			t.Errorf("notice %q, want %q", got, tc.want)
		}
	}
	if b.conn == nil {
		t.Fatal("no socket kept")
	}
}
