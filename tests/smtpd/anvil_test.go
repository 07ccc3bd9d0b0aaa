package smtpd

import (
	"bufio"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// anvilConn is a raw client of an anvil socket (plain attributes).
type anvilConn struct {
	c net.Conn
	r *bufio.Reader
}

func dialAnvil(t *testing.T, path string) *anvilConn {
	t.Helper()
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a := &anvilConn{c: c, r: bufio.NewReader(c)}
	if got := a.record(); got != "protocol=anvil_protocol\n" {
		t.Fatalf("%s announcement %q", path, got)
	}
	return a
}

// record reads one record (lines up to the empty line).
func (a *anvilConn) record() string {
	var b strings.Builder
	a.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		l, err := a.r.ReadString('\n')
		if err != nil {
			return b.String() + "<" + err.Error() + ">"
		}
		if l == "\n" {
			return b.String()
		}
		b.WriteString(l)
	}
}

func (a *anvilConn) ask(req string) string {
	fmt.Fprint(a.c, req)
	return a.record()
}

// TestDifferentialAnvil sends the same requests on two connections to
// the real anvil and to ours and compares the raw replies.
func TestDifferentialAnvil(t *testing.T) {
	bin := ourBinaries(t)
	in := newInstance(t, "", "goanvil   unix  -       -       n       -       1       goanvil\n",
		map[string]string{"goanvil": filepath.Join(bin, "anvil")}, nil)
	type step struct {
		conn int
		req  string
	}
	steps := []step{
		{0, "request=connect\nident=smtp:192.0.2.1\n\n"},
		{0, "request=connect\nident=smtp:192.0.2.1\n\n"},
		{1, "request=connect\nident=smtp:192.0.2.1\n\n"},
		{0, "request=connect\nident=smtp:192.0.2.2\n\n"},
		{1, "request=lookup\nident=smtp:192.0.2.1\n\n"},
		{1, "request=message\nident=smtp:192.0.2.1\n\n"},
		{1, "request=recipient\nident=smtp:192.0.2.1\n\n"},
		{1, "request=recipient\nident=smtp:192.0.2.1\n\n"},
		{1, "request=newtls\nident=smtp:192.0.2.1\n\n"},
		{1, "request=newtls_status\nident=smtp:192.0.2.1\n\n"},
		{1, "request=auth\nident=smtp:192.0.2.1\n\n"},
		{1, "request=disconnect\nident=smtp:192.0.2.1\n\n"},
		{0, "request=lookup\nident=smtp:192.0.2.1\n\n"},
		{0, "request=message\nident=smtp:192.0.2.9\n\n"},
		{0, "request=lookup\nident=smtp:192.0.2.9\n\n"},
		{0, "request=frobnicate\nident=smtp:192.0.2.1\n\n"},
		{0, "request=newtls_status\nident=smtp:192.0.2.77\n\n"},
		{0, "request=lookup\nident=smtp:192.0.2.77\n\n"},
	}
	var sides [2][2]*anvilConn
	for i, svc := range []string{"anvil", "goanvil"} {
		for j := range sides[i] {
			sides[i][j] = dialAnvil(t, in.path("queue/private/"+svc))
		}
	}
	for _, st := range steps {
		real, ours := sides[0][st.conn].ask(st.req), sides[1][st.conn].ask(st.req)
		if real != ours {
			t.Errorf("%q on connection %d:\nreal %q\nours %q", st.req, st.conn, real, ours)
		}
	}
	// A request without ident: the real anvil drops the connection.
	real, ours := sides[0][1].ask("request=lookup\n\n"), sides[1][1].ask("request=lookup\n\n")
	if real != ours {
		t.Errorf("missing ident:\nreal %q\nours %q", real, ours)
	}
}
