package smtpd

import (
	"net"
	"os"
	"strings"
	"testing"

	"gopostfix/libglobal/util/attr"
)

// startFakeVerify serves the verify protocol (protocols.md 2.4) on the
// UNIX socket path with answers chosen by the address's local part:
// vbounce, vdefer, vtodo (always "in progress"), vfail (a failed
// request), anything else deliverable. Both smtpds of a profile ask it,
// so their answers do not depend on probes or on each other.
func startFakeVerify(t *testing.T, path string) {
	t.Helper()
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	if err := os.Chmod(path, 0o666); err != nil { // smtpd runs as mail_owner
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveVerify(c)
		}
	}()
}

func serveVerify(nc net.Conn) {
	defer nc.Close()
	c := attr.NewConn(nc, attr.Format0, "verify socket", 0)
	if c.Announce(attr.ProtoVerify) != nil {
		return
	}
	for {
		var req, addr string
		if _, err := c.Scan(attr.None, attr.RecvStr("request", &req), attr.RecvStr("address", &addr),
			attr.RecvHash(map[string]string{})); err != nil {
			return
		}
		status, rcpt, why := 0, 0, "delivers to discard"
		switch local, _, _ := strings.Cut(addr, "@"); {
		case req != "query":
			status, why = -2, "bad request"
		case local == "vbounce":
			rcpt, why = 2, "host mx.example[192.0.2.9] said: 550 5.1.1 <"+addr+">: no such user"
		case local == "vdefer":
			rcpt, why = 1, "connect to mx.example[192.0.2.9]:25: Connection refused"
		case local == "vtodo":
			rcpt, why = 3, "Address verification in progress"
		case local == "vfail":
			status, rcpt, why = -1, 3, ""
		}
		if c.Print(attr.Int("status", status), attr.Int("recipient_status", rcpt), attr.Str("reason", why)) != nil {
			return
		}
	}
}
