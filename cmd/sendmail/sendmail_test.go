package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"gopostfix/libglobal/record"
)

func TestDSN(t *testing.T) {
	for in, want := range map[string]int{"success,delay": 10, "NEVER": 1, "never,success": 0, "failure delay": 12, "foo": 0} {
		if got, _ := dsnNotifyMask(in); got != want {
			t.Errorf("dsnNotifyMask(%q) = %d, want %d", in, got, want)
		}
	}
	if dsnRetCode("HDRS") != 2 || dsnRetCode("full") != 1 || dsnRetCode("x") != 0 {
		t.Error("dsnRetCode")
	}
}

// TestHeaderExtractor checks -t: header reassembly, Resent- precedence,
// and that the records written are the lines read.
func TestHeaderExtractor(t *testing.T) {
	var b bytes.Buffer
	h := newHeaderExtractor(record.NewWriter(&b, 0), 10, 102400)
	in := []struct {
		t    byte
		line string
	}{
		{'N', "To: a@x, \"B c\" <b@y>"}, {'N', " , d@z"}, {'N', "Cc: e@x"}, {'N', "Resent-To: r@x"},
		{'N', "Bcc: late@x"}, {'L', "X-Long: 12"}, {'N', "34"}, {'N', ""}, {'N', "To: body@x"},
	}
	for _, l := range in {
		h.update(l.t, []byte(l.line))
	}
	rcpts := h.finish()
	if strings.Join(rcpts, " ") != "r@x" {
		t.Errorf("recipients %v", rcpts)
	}
	r := record.NewReader(bytes.NewReader(b.Bytes()), "t", 0, 0)
	var got []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		got = append(got, string(rec.Type)+":"+string(rec.Data))
	}
	// Header lines longer than the limit (10 here) are cut into L
	// records again; body lines pass unchanged.
	want := "L:To: a@x, \"|N:B c\" <b@y>|N: , d@z|N:Cc: e@x|L:Resent-To:|N: r@x|L:Bcc: late@|N:x|L:X-Long: 12|N:34|N:|N:To: body@x"
	if strings.Join(got, "|") != want {
		t.Errorf("records\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	h2 := newHeaderExtractor(record.NewWriter(&b, 0), 100, 102400)
	for _, l := range []string{"To: a@x", " b@y", "Cc: c@z", "Bcc: d@w"} {
		h2.update('N', []byte(l))
	}
	if got := strings.Join(h2.finish(), " "); got != "a@x b@y c@z d@w" {
		t.Errorf("plain recipients %q", got)
	}
}
