package main

import (
	"bytes"
	"io"
	"strings"
	"syscall"
	"testing"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// TestSegmentDamagedFile: a maildrop file that ends early or holds a
// damaged record is refused with rec_get's result as the record type
// (-1 for the end of the file, -2 after the reader's warning), as the
// real pickup logs it.
func TestSegmentDamagedFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"warning: uid=7: unexpected or malformed record type -1"}},
		{"data cut short", []byte{'A', 38, 'x'}, []string{
			"warning: maildrop/X: unexpected EOF in data, record type 65 length 38",
			"warning: uid=7: unexpected or malformed record type -2"}},
		{"unexpected type", []byte{'Z', 0}, []string{"warning: uid=7: unexpected or malformed record type 90"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c msg.Capture
			j := &job{p: &pickup{log: msg.New(&c)}, c: &cleanup.Stream{W: record.NewWriter(io.Discard, 0)},
				rd: record.NewReader(bytes.NewReader(tc.data), "maildrop/X", record.Default, 0), st: &syscall.Stat_t{Uid: 7}}
			if got := j.segment(record.EnvelopeTypes, 0); got != removeFile {
				t.Errorf("segment = %d, want removeFile", got)
			}
			if got, want := strings.TrimSpace(c.String()), strings.Join(tc.want, "\n"); got != want {
				t.Errorf("log:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
