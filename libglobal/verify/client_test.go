package verify

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// step is one record of a capture: who sent it and its bytes.
type step struct {
	fromClient bool
	data       []byte
}

// readCapture parses testdata/verify.txt (the real verify(8) talking to
// a client, one Python bytes literal per line).
func readCapture(t *testing.T, name string) []step {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []step
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		dir, lit, ok := strings.Cut(line, " ")
		if !ok || (dir != "C>S" && dir != "S>C") {
			continue
		}
		steps = append(steps, step{fromClient: dir == "C>S", data: unrepr(t, lit)})
	}
	return steps
}

// unrepr decodes b'...' with \xNN and \\ escapes.
func unrepr(t *testing.T, lit string) []byte {
	t.Helper()
	lit = strings.TrimSuffix(strings.TrimPrefix(lit, "b'"), "'")
	var out []byte
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' {
			out = append(out, lit[i])
			continue
		}
		i++
		switch lit[i] {
		case 'x':
			n, err := strconv.ParseUint(lit[i+1:i+3], 16, 8)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, byte(n))
			i += 2
		default:
			out = append(out, lit[i])
		}
	}
	return out
}

// replay serves one connection: it sends the server records and checks
// that the client sends exactly the captured bytes.
func replay(t *testing.T, ln net.Listener, steps []step, errs chan<- string) {
	c, err := ln.Accept()
	if err != nil {
		errs <- err.Error()
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for _, s := range steps {
		if !s.fromClient {
			c.Write(s.data)
			continue
		}
		got := make([]byte, len(s.data))
		if _, err := io.ReadFull(c, got); err != nil {
			errs <- "read: " + err.Error()
			return
		}
		if !bytes.Equal(got, s.data) {
			errs <- strconv.Quote(string(got)) + " sent, capture has " + strconv.Quote(string(s.data))
			return
		}
	}
	errs <- ""
}

func TestAgainstCapture(t *testing.T) {
	steps := readCapture(t, "verify.txt")
	if len(steps) != 7 {
		t.Fatalf("capture has %d records", len(steps))
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "private"), 0700)
	ln, err := net.Listen("unix", filepath.Join(dir, "private", "verify"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	errs := make(chan string, 1)
	go replay(t, ln, steps, errs)

	c := NewClient(dir, "verify", msg.Discard())
	c.Tries = 1
	tests := []struct {
		run          func() (int, int, string)
		status, rcpt int
		why          string
	}{
		{func() (int, int, string) { return c.Query("nobody@pfp.example") }, StatOK, RcptTodo, "Address verification in progress"},
		{func() (int, int, string) { return c.Update("nobody@pfp.example", RcptOK, "250 ok"), -9, "" }, StatOK, -9, ""},
		{func() (int, int, string) { return c.Query("nobody@pfp.example") }, StatOK, RcptOK, "250 ok"},
	}
	for i, tc := range tests {
		st, rc, why := tc.run()
		if st != tc.status || rc != tc.rcpt || why != tc.why {
			t.Errorf("request %d: got %d %d %q, want %d %d %q", i, st, rc, why, tc.status, tc.rcpt, tc.why)
		}
	}
	c.Close()
	if e := <-errs; e != "" {
		t.Fatal(e)
	}
}

func TestNoServer(t *testing.T) {
	var cap msg.Capture
	log := msg.New(&cap)
	c := NewClient(t.TempDir(), "verify", log)
	c.Tries, c.Pause = 2, time.Millisecond
	if st := c.Update("a@example.com", RcptOK, "ok"); st != StatFail {
		t.Fatalf("status %d, want %d", st, StatFail)
	}
	st, rc, _ := c.Query("a@example.com")
	if st != StatFail || rc != RcptTodo {
		t.Fatalf("query gave %d %d", st, rc)
	}
	// A missing socket is never reported by updates; a query reports
	// it from its second attempt on.
	want := "warning: problem talking to service verify: No such file or directory"
	lines := cap.Lines
	if len(lines) != 1 || lines[0] != want {
		t.Fatalf("warnings %q", lines)
	}
}
