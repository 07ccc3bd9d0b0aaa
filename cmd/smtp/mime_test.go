package main

import (
	"os"
	"strings"
	"testing"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
)

// TestDowngrade converts the golden 8-bit message (as cleanup stores
// it) and compares with what the real client sent to a server without
// 8BITMIME (testdata/downgraded-8bit-to-qp.eml).
func TestDowngrade(t *testing.T) {
	want, err := os.ReadFile("testdata/downgraded-8bit-to-qp.eml")
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(want), "Content-Transfer-Encoding: quoted-printable\n")
	input := head + "Content-Transfer-Encoding: 8bit\n\n" +
		"Gr\u00fc\u00dfe aus K\u00f6ln = test\nA very long line " + strings.Repeat("x", 100) + "\n"
	// The real cleanup put the CTE header before Message-Id and Date.
	input = strings.Replace(input, "Content-Type: text/plain; charset=utf-8\n",
		"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", 1)
	input = strings.Replace(input, "Content-Transfer-Encoding: 8bit\n\n", "\n", 1)
	var out strings.Builder
	body := func(_ byte, text []byte) error {
		out.Write(text)
		out.WriteByte('\n')
		return nil
	}
	headOut := func(_ int, _ *headers.Opts, h string) error { return body(0, []byte(h)) }
	m := newMimeState(mimeOptDowngrade, headOut, body, 102400, 100, 2048)
	lines := strings.Split(strings.TrimSuffix(input, "\n"), "\n")
	for _, l := range lines {
		if _, err := m.update(record.Norm, []byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.update(0, nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("downgraded:\n%s\nwant:\n%s", out.String(), want)
	}
}

func FuzzMime(f *testing.F) {
	f.Add("Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-Encoding: 8bit\n\n\xc3\xa9=\n--x--\n")
	f.Fuzz(func(t *testing.T, in string) {
		m := newMimeState(mimeOptDowngrade, func(int, *headers.Opts, string) error { return nil },
			func(byte, []byte) error { return nil }, 1000, 5, 100)
		for _, l := range strings.Split(in, "\n") {
			m.update(record.Norm, []byte(l))
		}
		m.update(0, nil)
	})
}
