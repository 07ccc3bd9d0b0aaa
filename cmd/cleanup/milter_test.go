package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/xtext"
)

// editState writes the content part of a queue file as a Milter-enabled
// cleanup does (headers with padding, the reserved pointers, the body)
// and returns the state, ready for Editor calls.
func editState(t *testing.T, hdrs []string, body []string) *state {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "qf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st := &state{
		cfg:     &config{log: msg.Discard(), lineLimit: 2048, headerLimit: 102400},
		entry:   &queue.Entry{File: f, Path: "incoming/QF"},
		file:    f,
		queueID: "QF",
		errMask: ^0,
		flags:   flagMilter | flagFilter,
		attrs:   map[string]string{},
		dups:    map[string]bool{},
		mil:     newMilterState(),
	}
	st.mil.smtpd = &milter.Milters{}
	st.buf = bufio.NewWriterSize(f, 4096)
	st.w = record.NewWriter(st.buf, 0)
	st.out(record.Size, record.SizeInfo{}.Format())
	st.mil.senderPtOffset = st.offset()
	st.sender = strp("sender@example")
	st.mil.senderPtTarget = st.addrSenderRecord("sender@example")
	st.mil.rcptPtOffset, st.mil.rcptPtTarget = st.reservePtr()
	st.out(record.Mesg, "")
	st.dataOffset = st.offset()
	for _, h := range hdrs {
		st.outHeader(h)
	}
	st.mil.hdrPtOffset, st.mil.hdrPtTarget = st.reservePtr()
	st.mil.bodyOffset = st.mil.hdrPtTarget
	st.out(record.Norm, "")
	for _, l := range body {
		st.out(record.Norm, l)
	}
	st.ptr(0)
	st.xtraOffset = st.offset()
	st.contLength = st.xtraOffset - st.dataOffset
	st.out(record.Xtra, "")
	st.mil.metaPtOffset, st.mil.metaPtTarget = st.reservePtr()
	st.out(record.End, "")
	st.flushEdit()
	return st
}

// addrSenderRecord writes a sender record with its padding, as
// addrSender does without the address rewriting.
func (st *state) addrSenderRecord(s string) int64 {
	st.out(record.From, s)
	if len(s) < ptrPayload {
		st.pad(record.Ptr, ptrPayload-len(s))
	}
	return st.offset()
}

// readBack reads the file as qmgr does (pointers followed, padding
// skipped) and returns the header lines, the body lines and the
// recipient records.
func readBack(t *testing.T, st *state) (hdrs, body, rcpts []string) {
	t.Helper()
	st.flushEdit()
	f, err := os.Open(st.file.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := record.NewReader(f, "qf", record.Default, 0)
	inBody := false
	for {
		rec, err := rd.Next()
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		switch rec.Type {
		case record.Norm:
			switch {
			case inBody:
				body = append(body, string(rec.Data))
			case len(rec.Data) == 0:
				inBody = true
			default:
				hdrs = append(hdrs, string(rec.Data))
			}
		case record.Rcpt, record.Canceled, record.From:
			rcpts = append(rcpts, string(rec.Type)+" "+string(rec.Data))
		case record.End:
			return hdrs, body, rcpts
		}
	}
}

func TestMilterHeaderEdits(t *testing.T) {
	hdrs := []string{"Received: by host", "\tid QF", "Subject: test", "X-A: 1", "X-A: 2", "To: someone@example"}
	tests := []struct {
		name string
		edit func(st *state) string
		want []string
	}{
		{"add", func(st *state) string { return st.AddHeader("X-New", "value", " ") },
			append(append([]string{}, hdrs...), "X-New: value")},
		{"insert first", func(st *state) string { return st.InsHeader(1, "X-Top", "t", " ") },
			append([]string{"X-Top: t"}, hdrs...)},
		{"insert twice at the same place", func(st *state) string {
			st.InsHeader(3, "X-One", "1", " ")
			return st.InsHeader(3, "X-Two", "2", " ")
		}, []string{"Received: by host", "\tid QF", "Subject: test", "X-Two: 2", "X-One: 1", "X-A: 1", "X-A: 2", "To: someone@example"}},
		{"insert past the end appends", func(st *state) string { return st.InsHeader(99, "X-End", "e", " ") },
			append(append([]string{}, hdrs...), "X-End: e")},
		{"change second instance", func(st *state) string { return st.UpdHeader(2, "x-a", "two", " ") },
			[]string{"Received: by host", "\tid QF", "Subject: test", "X-A: 1", "x-a: two", "To: someone@example"}},
		{"change missing header appends", func(st *state) string { return st.UpdHeader(3, "X-A", "3", "") },
			append(append([]string{}, hdrs...), "X-A:3")},
		{"delete multi-line header", func(st *state) string { return st.DelHeader(1, "Received") },
			hdrs[2:]},
		{"delete short header, then change its neighbour", func(st *state) string {
			st.DelHeader(1, "X-A")
			return st.UpdHeader(1, "X-A", "changed", " ")
		}, []string{"Received: by host", "\tid QF", "Subject: test", "X-A: changed", "To: someone@example"}},
		{"change after insert before it", func(st *state) string {
			st.InsHeader(1, "X-Top", "t", " ")
			return st.UpdHeader(1, "Subject", "new", " ")
		}, []string{"X-Top: t", "Received: by host", "\tid QF", "Subject: new", "X-A: 1", "X-A: 2", "To: someone@example"}},
	}
	for _, tc := range tests {
		st := editState(t, hdrs, []string{"body"})
		if resp := tc.edit(st); resp != "" {
			t.Errorf("%s: reply %q", tc.name, resp)
		}
		got, body, _ := readBack(t, st)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: headers\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
		if strings.Join(body, "\n") != "body" {
			t.Errorf("%s: body %q", tc.name, body)
		}
	}
}

// TestMilterHiddenHeader: cleanup's own Received: header does not count
// for header changes, once.
func TestMilterHiddenHeader(t *testing.T) {
	st := editState(t, []string{"Received: by us", "Received: by them"}, nil)
	st.mil.autoHdrs = []string{"Received: by us"}
	st.UpdHeader(1, "Received", "changed", " ")
	got, _, _ := readBack(t, st)
	if want := "Received: by us\nReceived: changed"; strings.Join(got, "\n") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMilterReplaceBody(t *testing.T) {
	long := strings.Repeat("y", 300)
	tests := []struct {
		name  string
		lines []string
	}{
		{"shorter", []string{"one"}},
		{"longer than the old body", []string{long, long, long, "end"}},
		{"empty", nil},
	}
	for _, tc := range tests {
		st := editState(t, []string{"Subject: x"}, []string{"old body line", "another"})
		if r := st.ReplBody(milter.BodyStart, 0, nil); r != "" {
			t.Fatalf("%s: start: %q", tc.name, r)
		}
		for _, l := range tc.lines {
			if r := st.ReplBody(milter.BodyLine, record.Norm, []byte(l)); r != "" {
				t.Fatalf("%s: line: %q", tc.name, r)
			}
		}
		if r := st.ReplBody(milter.BodyEnd, 0, nil); r != "" {
			t.Fatalf("%s: end: %q", tc.name, r)
		}
		hdrs, body, _ := readBack(t, st)
		if strings.Join(hdrs, "\n") != "Subject: x" || strings.Join(body, "\n") != strings.Join(tc.lines, "\n") {
			t.Errorf("%s: headers %q body %q", tc.name, hdrs, body)
		}
		// The content length counts the headers up to the body, each body
		// record and the pointers that link body regions, not the last
		// one (to the X record).
		want := st.mil.bodyOffset - st.dataOffset + int64(record.EncodedLen(0))
		for _, l := range tc.lines {
			want += int64(record.EncodedLen(len(l)))
		}
		if st.contLength < want || st.contLength > want+ptrRecLen {
			t.Errorf("%s: content length %d, want %d or one link more", tc.name, st.contLength, want)
		}
	}
}

func TestMilterRecipients(t *testing.T) {
	st := editState(t, []string{"Subject: x"}, nil)
	st.cfg.dupLimit = 1000
	// The recipients are written as outRecipient writes them; the
	// rewriting of addrBccDSN needs the rewrite service, so the records
	// are added through the same placeholder mechanism directly.
	newOff, _ := st.seekOutEnd()
	st.out(record.ORcpt, "a@example")
	st.out(record.Rcpt, "a@example")
	st.out(record.ORcpt, "b@example")
	st.out(record.Rcpt, "b@example")
	reverse := st.offset()
	st.ptr(st.mil.rcptPtTarget)
	st.seekOut(st.mil.rcptPtOffset)
	st.ptr(newOff)
	st.mil.rcptPtOffset = reverse
	if r := st.DelRcpt("<b@example>"); r != "" {
		t.Fatalf("delete: %q", r)
	}
	if r := st.DelRcpt("Some One <c@example>, d@example"); r != "" {
		t.Fatalf("delete: %q", r)
	}
	_, _, rcpts := readBack(t, st)
	if want := "S sender@example\nR a@example\n/ b@example"; strings.Join(rcpts, "\n") != want {
		t.Errorf("got %q, want %q", rcpts, want)
	}
}

func TestXtextUnquote(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"plain", "plain", true},
		{"a+2Bb", "a+b", true},
		{"a+2bb", "a+b", true},
		{"+40", "@", true},
		{"bad+4", "", false},
		{"bad+", "", false},
		{"bad+G0", "", false},
		{"bad+-1", "", false},
	}
	for _, tc := range tests {
		got, ok := xtext.Unquote(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %q %v, want %q %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzXtextUnquote(f *testing.F) {
	for _, s := range []string{"abc+2Bdef", "+", "+4", "+zz", "rfc822;a+40b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := xtext.Unquote(s)
		if !ok {
			return
		}
		if len(out) > len(s) {
			t.Errorf("%q: decoded %q is longer", s, out)
		}
		if !strings.Contains(s, "+") && out != s {
			t.Errorf("%q: changed without escapes: %q", s, out)
		}
	})
}

func TestNotifyMask(t *testing.T) {
	tests := map[string]int{
		"SUCCESS,DELAY": dsnNotifySuccess | dsnNotifyDelay,
		"never":         dsnNotifyNever,
		"NEVER,SUCCESS": 0,
		"failure bogus": 0,
		"":              0,
	}
	for in, want := range tests {
		if got := notifyMask(in); got != want {
			t.Errorf("%q: got %d, want %d", in, got, want)
		}
	}
}
