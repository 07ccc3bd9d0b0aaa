package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnexpectedRecordType: a record type byte outside ASCII is logged
// as one byte that the printable filter turns into '?', as qmgr's
// msg_warn("... '%c' ...") and msg_vprintf's printable() do; it was
// logged as the UTF-8 encoding of the rune.
func TestUnexpectedRecordType(t *testing.T) {
	for _, tt := range []struct {
		rec  []byte
		want string
	}{
		{[]byte{0xCA, 1, 'x'}, "warning: Unexpected record type '?' at offset 0"},
		{[]byte{0x7f, 0}, "warning: Unexpected record type '?' at offset 0"},
		{[]byte{'Q', 0}, "warning: Unexpected record type 'Q' at offset 0"},
	} {
		q, cap := newTestQmgr(t)
		q.log.Printable, q.log.PrintableUTF8 = true, true
		q.cfg.rcptLimit = 100
		p := filepath.Join(t.TempDir(), "A1B2C3D4E5")
		if err := os.WriteFile(p, tt.rec, 0600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		m := &message{fp: f, queueID: "A1B2C3D4E5", rcptLimit: 10}
		if q.readMessage(m) {
			t.Errorf("%q: accepted", tt.rec)
		}
		f.Close()
		if got := cap.String(); !strings.Contains(got, tt.want) {
			t.Errorf("%q: log\n%s\nwant %q", tt.rec, got, tt.want)
		}
	}
}
