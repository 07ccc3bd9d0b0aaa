package testmilter_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	tm "gopostfix/tests/internal/testmilter"
)

// qfile writes a queue file: 'M', the content records, 'X'; it returns
// the file (positioned anywhere) and the content offset.
type qrec struct {
	typ  byte
	text string
}

func writeQueueFile(t *testing.T, f *os.File, recs []qrec) int64 {
	t.Helper()
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	w := record.NewWriter(f, 0)
	w.PutString(record.Mesg, "")
	off := w.Offset()
	for _, r := range recs {
		w.PutString(r.typ, r.text)
	}
	w.PutString(record.Xtra, "")
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	return off
}

func newQueueFile(t *testing.T, recs []qrec) (*os.File, int64) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "qf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, writeQueueFile(t, f, recs)
}

func lines(typ byte, ss ...string) []qrec {
	var out []qrec
	for _, s := range ss {
		out = append(out, qrec{typ, s})
	}
	return out
}

// envelope runs connect, mail, rcpt, data.
func envelope(t *testing.T, ms *milter.Milters) {
	t.Helper()
	for _, r := range []string{
		ms.ConnEvent("client.example", "192.0.2.1", "1234", milter.FamilyInet),
		ms.MailEvent([]string{"<a@b>"}), ms.RcptEvent(0, []string{"<c@d>"}), ms.DataEvent(),
	} {
		if r != "" {
			t.Fatalf("envelope reply %q", r)
		}
	}
}

// contentPackets returns the packets after the DATA command.
func contentPackets(log []string) []string {
	for i, l := range log {
		if l == "DATA" {
			return log[i+1:]
		}
	}
	return nil
}

var sampleContent = append(append(append(lines(record.Norm,
	"Received: from client.example", "\tby mx.example", "Subject: hi there", "X-Folded: one", " two"),
	qrec{record.Cont, "X-Long: aaa"}, qrec{record.Norm, "bbb"}, qrec{record.Norm, ""}, qrec{record.Norm, "body 1"}),
	qrec{record.Cont, "long"}, qrec{record.Norm, "line"}), lines(record.Norm, "", "last")...)

func TestMessageContent(t *testing.T) {
	auto := []string{"Received: from client.example\n\tby mx.example"}
	for _, c := range []struct {
		name string
		sc   tm.Script
		want []string
	}{
		{"default", tm.Script{}, []string{
			`MACRO L "i"="QID1"`, `HEADER "Subject" "hi there"`,
			`MACRO L "i"="QID1"`, `HEADER "X-Folded" "one\n two"`,
			`MACRO L "i"="QID1"`, `HEADER "X-Long" "aaabbb"`,
			`MACRO N "i"="QID1"`, "EOH",
			`MACRO B "i"="QID1"`, `BODY "body 1\r\nlongline\r\n\r\nlast\r\n"`,
			`MACRO E "i"="QID1"`, `EOB ""`, "QUIT", "CLOSED"}},
		{"leading space, no header replies", tm.Script{Protocol: tm.HdrLeadSpc | tm.NRHdr | tm.NREOH | tm.NRBody}, []string{
			`MACRO L "i"="QID1"`, `HEADER "Subject" " hi there"`,
			`MACRO L "i"="QID1"`, `HEADER "X-Folded" " one\n two"`,
			`MACRO L "i"="QID1"`, `HEADER "X-Long" " aaabbb"`,
			`MACRO N "i"="QID1"`, "EOH",
			`MACRO B "i"="QID1"`, `BODY "body 1\r\nlongline\r\n\r\nlast\r\n"`,
			`MACRO E "i"="QID1"`, `EOB ""`, "QUIT", "CLOSED"}},
		{"no headers, no body, no eoh", tm.Script{Protocol: tm.NoHdrs | tm.NoBody | tm.NoEOH}, []string{
			`MACRO E "i"="QID1"`, `EOB ""`, "QUIT", "CLOSED"}},
		{"accept at first header", tm.Script{Replies: replies(tm.CmdHeader, tm.Accept)}, []string{
			`MACRO L "i"="QID1"`, `HEADER "Subject" "hi there"`, "QUIT", "CLOSED"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ms, srv, lb := session(t, c.sc, nil)
			envelope(t, ms)
			qf, off := newQueueFile(t, sampleContent)
			if r := ms.Message(qf, off, auto); r != "" {
				t.Fatalf("message: %q", r)
			}
			checkLines(t, "content packets", contentPackets(endSession(t, ms, srv, 1)), c.want)
			checkLines(t, "warnings", lb.lines(), nil)
		})
	}
}

// Headers only, and a header section ended by a non-header line.
func TestMessageShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		recs []qrec
		want []string
	}{
		{"headers only", lines(record.Norm, "Subject: x"), []string{
			`MACRO L "i"="QID1"`, `HEADER "Subject" "x"`, `MACRO N "i"="QID1"`, "EOH", `MACRO E "i"="QID1"`, `EOB ""`}},
		{"no separator", lines(record.Norm, "Subject: x", "not a header", "b"), []string{
			`MACRO L "i"="QID1"`, `HEADER "Subject" "x"`, `MACRO N "i"="QID1"`, "EOH",
			`MACRO B "i"="QID1"`, `BODY "not a header\r\nb\r\n"`, `MACRO E "i"="QID1"`, `EOB ""`}},
		{"empty", nil, []string{`MACRO N "i"="QID1"`, "EOH", `MACRO E "i"="QID1"`, `EOB ""`}},
		{"body ends in a partial line", append(lines(record.Norm, "S: x", "", "a"), qrec{record.Cont, "tail"}), []string{
			`MACRO L "i"="QID1"`, `HEADER "S" "x"`, `MACRO N "i"="QID1"`, "EOH",
			`MACRO B "i"="QID1"`, `BODY "a\r\ntail\r\n"`, `MACRO E "i"="QID1"`, `EOB ""`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ms, srv, _ := session(t, tm.Script{}, nil)
			envelope(t, ms)
			qf, off := newQueueFile(t, c.recs)
			if r := ms.Message(qf, off, nil); r != "" {
				t.Fatalf("message: %q", r)
			}
			got := contentPackets(endSession(t, ms, srv, 1))
			checkLines(t, "content packets", got[:len(got)-2], c.want)
		})
	}
}

// Body chunks are at most 65535 bytes.
func TestBodyChunks(t *testing.T) {
	ms, srv, _ := session(t, tm.Script{}, nil)
	envelope(t, ms)
	recs := lines(record.Norm, "Subject: big", "")
	line := strings.Repeat("x", 998)
	for range 70 {
		recs = append(recs, qrec{record.Norm, line})
	}
	qf, off := newQueueFile(t, recs)
	if r := ms.Message(qf, off, nil); r != "" {
		t.Fatalf("message: %q", r)
	}
	var sizes []int
	for _, l := range contentPackets(endSession(t, ms, srv, 1)) {
		if rest, ok := strings.CutPrefix(l, "BODY "); ok {
			s, err := strconv.Unquote(rest)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(s))
		}
	}
	if fmt.Sprint(sizes) != "[65535 4465]" {
		t.Errorf("chunk sizes %v, want [65535 4465]", sizes)
	}
}

// The content events run under milter_content_timeout, the envelope
// under milter_command_timeout.
func TestContentTimeout(t *testing.T) {
	ms, srv, lb := session(t, tm.Script{Faults: map[byte]tm.Fault{tm.CmdEOB: {Kind: tm.FaultStall}}}, func(c *milter.Config) {
		c.CmdTimeout = 30 * time.Second
		c.MsgTimeout = time.Second
	})
	envelope(t, ms)
	qf, off := newQueueFile(t, lines(record.Norm, "Subject: s", "", "body"))
	start := time.Now()
	if r := ms.Message(qf, off, nil); r != tempfail {
		t.Errorf("result %q", r)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	checkLines(t, "warnings", lb.masked(srv.Spec()), []string{
		"test: warning: milter @M@: can't read SMFIC_BODYEOB reply packet header: Connection timed out"})
}
