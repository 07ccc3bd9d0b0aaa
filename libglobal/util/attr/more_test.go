package attr

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestScanMore(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		input  string
		want   []bool // results of successive ScanMore calls after one Scan
		err    bool   // the last call fails
	}{
		{"null terminator", Format0, "a\x001\x00\x00", []bool{false}, false},
		{"null more", Format0, "a\x001\x00b\x002\x00\x00", []bool{true}, false},
		{"null eof", Format0, "a\x001\x00", nil, true},
		{"plain terminator", FormatPlain, "a=1\n\n", []bool{false}, false},
		{"plain more", FormatPlain, "a=1\nb=2\n\n", []bool{true}, false},
		{"base64 terminator", Format64, "YQ==:MQ==\n\n", []bool{false}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader([]byte(tc.input)), tc.format, "test")
			var a string
			if n, err := r.Scan(More, RecvStr("a", &a)); n != 1 || err != nil || a != "1" {
				t.Fatalf("Scan = %d, %v, a=%q", n, err, a)
			}
			for i, want := range tc.want {
				got, err := r.ScanMore()
				if err != nil || got != want {
					t.Fatalf("call %d: ScanMore = %v, %v; want %v", i, got, err, want)
				}
			}
			if tc.err {
				if _, err := r.ScanMore(); !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("ScanMore at EOF: err = %v", err)
				}
			}
		})
	}
}

func TestScanMoreLeavesAttribute(t *testing.T) {
	r := NewReader(bytes.NewReader([]byte("b\x002\x00\x00")), Format0, "test")
	if more, err := r.ScanMore(); !more || err != nil {
		t.Fatalf("ScanMore = %v, %v", more, err)
	}
	var b string
	if n, err := r.Scan(Strict, RecvStr("b", &b)); n != 1 || err != nil || b != "2" {
		t.Fatalf("Scan after ScanMore = %d, %v, %q", n, err, b)
	}
}
