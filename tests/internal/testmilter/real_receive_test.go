package testmilter_test

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
	pfx "gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// fakeCleanup serves one cleanup request on ln the way cleanup does for
// milters: it takes over smtpd's milters at the 'm' record (Receive),
// stores the content records, runs Message over them and answers.
func fakeCleanup(t *testing.T, ln net.Listener, ed milter.Editor, done chan<- error) {
	nc, err := ln.Accept()
	if err != nil {
		done <- err
		return
	}
	defer nc.Close()
	c := attr.NewConn(nc, attr.Format0, "fake cleanup", 20*time.Second)
	if err := c.Announce("cleanup_protocol", attr.Str("queue_id", "FAKEQID")); err != nil {
		done <- err
		return
	}
	var flags int
	if _, err := c.Scan(attr.Strict, attr.RecvInt("flags", &flags)); err != nil {
		done <- err
		return
	}
	rd := record.NewReader(c.BufReader(), "fake cleanup", 0, 0)
	var ms *milter.Milters
	var content []qrec
	inContent := false
	for {
		rec, err := rd.Next()
		if err != nil {
			done <- err
			return
		}
		switch {
		case rec.Type == record.MiltCount:
			n, _ := strconv.Atoi(string(rec.Data))
			if ms, err = milter.Receive(rd, c, n, milter.Config{}); err != nil {
				done <- err
				return
			}
			defer ms.Close()
		case rec.Type == record.Mesg:
			inContent = true
		case rec.Type == record.Xtra:
			inContent = false
		case inContent:
			content = append(content, qrec{rec.Type, string(rec.Data)})
		}
		if rec.Type == record.End {
			break
		}
	}
	if ms == nil || ms.Count() != 1 {
		done <- fmt.Errorf("no milter received")
		return
	}
	// smtpd's own Received: header is the first one; milters don't see it.
	var auto []string
	for i, r := range content {
		if i > 0 && !strings.HasPrefix(r.text, "\t") && !strings.HasPrefix(r.text, " ") {
			break
		}
		auto = append(auto, r.text)
	}
	f, err := os.CreateTemp(t.TempDir(), "qf")
	if err != nil {
		done <- err
		return
	}
	defer f.Close()
	off := writeQueueFile(t, f, content)
	ms.SetMacroLookup(fixedMacros(map[string]string{"{i}": "FAKEQID"}))
	ms.SetEditor(ed)
	resp := ms.Message(f, off, []string{strings.Join(auto, "\n")})
	if resp != "" {
		done <- fmt.Errorf("message: %q", resp)
		return
	}
	done <- c.Print(attr.Int("status", 0), attr.Str("reason", ""))
}

// The real smtpd hands its milter to a cleanup that uses our Receive; the
// milter session then goes on with our content events and the real
// smtpd's QUIT.
func receiveFromReal(t *testing.T, port int, script tm.Script, message []string) {
	mil, err := tm.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port), script)
	if err != nil {
		t.Fatal(err)
	}
	defer mil.Close()
	in := pfx.New(t, pfx.Options{Prefix: "miltertest", NoStart: true,
		Main: pfx.BareMainCF("example.com") + "smtpd_milters = " + mil.Spec() + "\n" +
			"default_transport = discard:test\nlocal_transport = discard:test\n" +
			// The lists and defaults travel with the milters.
			"milter_end_of_header_macros = i {mystery}\nmilter_macro_defaults = mystery=dflt, other=x\n",
		Master: pfx.MasterCF + fmt.Sprintf("127.0.0.1:%d inet n - n - 1 smtpd -o cleanup_service_name=fakecleanup\n", port+1)})
	sock := in.Path("queue/public/fakecleanup")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	os.Chmod(sock, 0666)
	in.Start()
	ed := &recEditor{}
	done := make(chan error, 1)
	go fakeCleanup(t, ln, ed, done)
	replies := smtpSession(t, fmt.Sprintf("127.0.0.1:%d", port+1), []string{"EHLO client.example",
		"MAIL FROM:<sender@example.com> SIZE=300", "RCPT TO:<user@mx.example.com>", "DATA", "QUIT"}, message)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("fake cleanup: %v; replies %q", err, replies)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("fake cleanup did not finish; replies %q", replies)
	}
	if err := mil.WaitEnded(1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	got := contentPackets(mil.Log())
	want := []string{
		`MACRO L "i"="FAKEQID" "{mystery}"="dflt"`, `HEADER "From" "<sender@example.com>"`,
		`MACRO L "i"="FAKEQID" "{mystery}"="dflt"`, `HEADER "To" "<user@mx.example.com>"`,
		`MACRO L "i"="FAKEQID" "{mystery}"="dflt"`, `HEADER "Date" "Mon, 30 Nov 2026 01:00:00 +0000"`,
		`MACRO L "i"="FAKEQID" "{mystery}"="dflt"`, `HEADER "Message-ID" "<m1@example.com>"`,
		`MACRO L "i"="FAKEQID" "{mystery}"="dflt"`, `HEADER "Subject" "a folded\n  subject line"`,
		`MACRO L "i"="FAKEQID" "{mystery}"="dflt"`, `HEADER "X-Empty" ""`,
		`MACRO N "i"="FAKEQID" "{mystery}"="dflt"`, "EOH",
		`MACRO B "i"="FAKEQID"`, `BODY "body line 1\r\n\r\n.dot line\r\nlast line\r\n"`,
		`MACRO E "i"="FAKEQID"`, `EOB ""`, "ABORT", "ABORT", "QUIT", "CLOSED"}
	checkLines(t, "milter session", got, want)
	checkLines(t, "editor", ed.calls, []string{`AddHeader "X-Milter" "seen" " "`})
}
