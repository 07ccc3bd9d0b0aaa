package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// TestWarnDamaged: reading a damaged original queue file logs the
// record reader's warning (as rec_get does), its clean end nothing.
func TestWarnDamaged(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"clean end", []byte{'N', 1, 'x'}, ""},
		{"data cut short", []byte{'N', 1, 'x', 'N', 0xb5, 0x52, 'y'}, "warning: active/ID: unexpected EOF in data, record type 78 length 10549"},
		{"length cut short", []byte{'N', 0x80}, "warning: active/ID: unexpected EOF reading length, record type 78"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c msg.Capture
			rd := record.NewReader(bytes.NewReader(tc.data), "active/ID", record.Default, 0)
			var err error
			for err == nil {
				_, err = rd.Next()
			}
			warnDamaged(msg.New(&c), err)
			if got := strings.TrimSpace(c.String()); got != tc.want {
				t.Errorf("log %q, want %q (read error %v, EOF %v)", got, tc.want, err, err == io.EOF)
			}
		})
	}
}
