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

// TestAnvilIdleExit: with max_idle shorter than anvil_rate_time_unit,
// the real anvil and ours stay up one time unit after their last client
// left, then exit and log their peaks (connection rate and count,
// cache size: three lines; one connection is counted once however many
// connect requests it sends).
func TestAnvilIdleExit(t *testing.T) {
	bin := ourBinaries(t)
	in := newInstance(t, "anvil_rate_time_unit = 3s\n",
		"idleanvil unix  -       -       n       -       1       anvil -o max_idle=1\n"+
			"goanvil   unix  -       -       n       -       1       goanvil -o max_idle=1\n",
		map[string]string{"goanvil": filepath.Join(bin, "anvil")}, nil)
	var closed [2]time.Time
	for i, svc := range []string{"idleanvil", "goanvil"} {
		a := dialAnvil(t, in.path("queue/private/"+svc))
		for j := 0; j < 2; j++ {
			if got := a.ask("request=connect\nident=smtp:192.0.2.1\n\n"); !strings.HasPrefix(got, "status=0\n") {
				t.Fatalf("%s connect: %q", svc, got)
			}
		}
		a.c.Close()
		closed[i] = time.Now()
	}
	// statsLines returns the statistics lines of the process serving svc.
	statsLines := func(svc string) []string {
		var out []string
		for _, l := range strings.Split(in.maillog(), "\n") {
			if strings.Contains(l, "statistics: max ") && strings.Contains(l, svc) {
				out = append(out, l[strings.Index(l, "statistics:"):])
			}
		}
		return out
	}
	var seen [2]time.Duration
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && (seen[0] == 0 || seen[1] == 0) {
		for i, tag := range []string{"/anvil[", "/goanvil["} {
			if seen[i] == 0 && len(statsLines(tag)) >= 3 {
				seen[i] = time.Since(closed[i])
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i, who := range []string{"real", "ours"} {
		if seen[i] == 0 {
			t.Fatalf("%s anvil did not exit and log its peaks within 15 s:\n%s", who, in.maillog())
		}
		if seen[i] < 2500*time.Millisecond {
			t.Errorf("%s anvil exited %v after its last client, before one time unit (3 s)", who, seen[i])
		}
	}
	if real, ours := statsLines("/anvil["), statsLines("/goanvil["); fmt.Sprint(real) != fmt.Sprint(ours) {
		t.Errorf("statistics at exit:\nreal %q\nours %q", real, ours)
	}
}
