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

// TestReadAttr checks the named attributes of a queue file: the log_
// forms of the client attributes win over the legacy names whatever
// their order, and the once-only attributes keep their first value with
// a warning for the others.
func TestReadAttr(t *testing.T) {
	type attr struct{ name, value string }
	for _, tt := range []struct {
		attrs               []attr
		client, addr, ident string
		warn                string
	}{
		{attrs: []attr{{"client_name", "old.example"}, {"client_address", "192.0.2.1"}},
			client: "old.example", addr: "192.0.2.1"},
		{attrs: []attr{{"client_name", "old.example"}, {"log_client_name", "new.example"}, {"client_name", "late.example"}},
			client: "new.example"},
		{attrs: []attr{{"log_client_address", "192.0.2.2"}, {"client_address", "192.0.2.1"}}, addr: "192.0.2.2"},
		{attrs: []attr{{"log_ident", "a"}, {"log_ident", "b"}}, ident: "a",
			warn: "warning: Q1: ignoring multiple log_ident attribute: b"},
		{attrs: []attr{{"unknown_name", "x"}}},
	} {
		q, cap := newTestQmgr(t)
		m := &message{queueID: "Q1"}
		have := false
		for _, a := range tt.attrs {
			q.readAttr(m, a.name, a.value, 0, &have)
		}
		if m.clientName != tt.client || m.clientAddr != tt.addr || m.logIdent != tt.ident {
			t.Errorf("%v: client %q addr %q ident %q", tt.attrs, m.clientName, m.clientAddr, m.logIdent)
		}
		if got := strings.TrimSpace(cap.String()); !strings.Contains(got, tt.warn) || tt.warn == "" && got != "" {
			t.Errorf("%v: log %q, want %q", tt.attrs, got, tt.warn)
		}
	}
}
