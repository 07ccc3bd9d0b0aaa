package testmilter_test

import (
	"net"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
	tm "gopostfix/tests/internal/testmilter"
)

// unixPair is a connected pair of UNIX stream sockets.
func unixPair(t *testing.T) (*net.UnixConn, *net.UnixConn) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	conn := func(fd int) *net.UnixConn {
		f := os.NewFile(uintptr(fd), "pair")
		defer f.Close()
		c, err := net.FileConn(f)
		if err != nil {
			t.Fatal(err)
		}
		return c.(*net.UnixConn)
	}
	a, b := conn(fds[0]), conn(fds[1])
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// smtpd's milter session goes to "cleanup" over a socket pair with the
// milter's descriptor; cleanup sends the content on the same session.
func TestSendReceive(t *testing.T) {
	ms, srv, lb := session(t, tm.Script{SymLists: map[uint32]string{tm.StageEOM: "{rcpt_addr} i"}}, func(c *milter.Config) {
		c.Macros.EOH = "i {mail_addr}"
		c.MacroDefaults = "mail_addr=dflt, { {rcpt_host} = there }"
	})
	envelope(t, ms)
	a, b := unixPair(t)
	smtpdSide := attr.NewConn(a, attr.Format0, "public/cleanup", 10*time.Second)
	cleanupSide := attr.NewConn(b, attr.Format0, "cleanup socket", 10*time.Second)

	type result struct {
		resp  string
		count int
		err   error
	}
	done := make(chan result, 1)
	go func() {
		rd := record.NewReader(cleanupSide.BufReader(), "cleanup socket", 0, 0)
		rec, err := rd.Next()
		if err != nil || rec.Type != record.MiltCount {
			done <- result{err: err}
			return
		}
		count, _ := strconv.Atoi(string(rec.Data))
		got, err := milter.Receive(rd, cleanupSide, count, milter.Config{Log: ms2Log(lb)})
		if err != nil {
			done <- result{err: err}
			return
		}
		defer got.Close()
		got.SetMacroLookup(fixedMacros(map[string]string{"{i}": "QID2"}))
		qf, off := newQueueFile(t, lines(record.Norm, "Subject: s", "", "body"))
		done <- result{resp: got.Message(qf, off, nil), count: got.Count()}
	}()
	if err := ms.Send(smtpdSide); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.resp != "" || r.count != 1 {
		t.Fatalf("cleanup side: %+v", r)
	}
	if r := ms.RcptEvent(0, []string{"<x@y>"}); r != "" {
		t.Fatalf("rcpt after hand-off: %q", r)
	}
	checkLines(t, "packets", contentPackets(endSession(t, ms, srv, 1)), []string{
		`MACRO L "i"="QID2" "{mail_addr}"="dflt"`, `HEADER "Subject" "s"`,
		`MACRO N "i"="QID2" "{mail_addr}"="dflt"`, "EOH",
		`MACRO B "i"="QID2"`, `BODY "body\r\n"`, `MACRO E "i"="QID2"`, `EOB ""`,
		`MACRO R "i"="QID1" "{rcpt_host}"="there"`, `RCPT "<x@y>"`, "QUIT", "CLOSED"})
	checkLines(t, "warnings", lb.lines(), nil)
}

func ms2Log(lb *logBuf) *msg.Logger { return testConfig("", lb).Log }

// With no active milter only "m 0" goes out, and Receive of 0 gives an
// empty list.
func TestSendNone(t *testing.T) {
	ms, srv, _ := session(t, tm.Script{Replies: replies(tm.CmdConnect, tm.Accept)}, nil)
	ms.ConnEvent("h", "192.0.2.1", "1", milter.FamilyInet)
	srv.WaitEnded(1, 5*time.Second)
	a, b := unixPair(t)
	sc := attr.NewConn(a, attr.Format0, "public/cleanup", time.Second)
	if err := ms.Send(sc); err != nil {
		t.Fatal(err)
	}
	// Like Postfix, Send leaves the record in the stream's buffer.
	if err := sc.BufWriter().Flush(); err != nil {
		t.Fatal(err)
	}
	c := attr.NewConn(b, attr.Format0, "cleanup socket", time.Second)
	rd := record.NewReader(c.BufReader(), "cleanup socket", 0, 0)
	rec, err := rd.Next()
	if err != nil || rec.Type != record.MiltCount || string(rec.Data) != "0" {
		t.Fatalf("record %v %q %v", rec.Type, rec.Data, err)
	}
	got, err := milter.Receive(rd, c, 0, milter.Config{})
	if err != nil || got.Count() != 0 {
		t.Fatalf("receive: %v %v", got, err)
	}
}
