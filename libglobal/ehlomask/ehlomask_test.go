package ehlomask

import "testing"

func TestMask(t *testing.T) {
	tests := []struct {
		words string
		mask  int
		names string
	}{
		{"", 0, ""},
		{"chunking, silent-discard, Size", Chunking | Silent | Size, "SIZE CHUNKING SILENT-DISCARD"},
		{"pipelining\tstarttls\r\nNOSUCH,,dsn", Pipelining | StartTLS | DSN, "PIPELINING STARTTLS DSN"},
		{"smtputf8", SMTPUTF8, "EHLO_MASK_SMTPUTF8"},
		{"ehlo_mask_smtputf8 SMTPUTF8", SMTPUTF8, "EHLO_MASK_SMTPUTF8"},
		{"8bitmime auth etrn verp vrfy xclient xforward enhancedstatuscodes",
			EightBitMIME | Auth | ETRN | VERP | Vrfy | Xclient | Xforward | Enhanced,
			"8BITMIME AUTH ETRN VERP VRFY XCLIENT XFORWARD ENHANCEDSTATUSCODES"},
	}
	for _, tc := range tests {
		m := Mask(tc.words)
		if m != tc.mask {
			t.Errorf("Mask(%q) = %#x, want %#x", tc.words, m, tc.mask)
		}
		if s := String(m); s != tc.names {
			t.Errorf("String(%#x) = %q, want %q", m, s, tc.names)
		}
	}
	if s := String(Size | 1<<14); s != "SIZE" {
		t.Errorf("unknown bit: %q", s)
	}
}
