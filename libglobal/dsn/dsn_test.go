package dsn

import (
	"bytes"
	"testing"

	"gopostfix/libglobal/util/attr"
)

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"5.0.0", 5}, {"4.4.1 simulated deferral", 5}, {"2.123.456", 9},
		{"2.1234.5", 0}, {"3.0.0", 0}, {"5.0", 0}, {"5..0", 0}, {"5.0.0x", 0},
		{"5.0.0\ttab", 5}, {"", 0}, {"5", 0}, {"5.1.", 0}, {"5.1.1234", 0},
	}
	for _, tt := range tests {
		if got := Valid(tt.in); got != tt.want {
			t.Errorf("Valid(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct{ def, in, status, rest string }{
		{"5.0.0", "remote delivery disabled in test", "5.0.0", "remote delivery disabled in test"},
		{"4.0.0", "4.4.1 simulated deferral", "4.4.1", "simulated deferral"},
		{"2.0.0", "  2.1.5   spaced out", "2.1.5", "spaced out"},
		{"2.0.0", "example.com", "2.0.0", "example.com"},
		{"5.0.0", "5.1.1", "5.1.1", ""},
		{"4.0.0", "", "4.0.0", ""},
	}
	for _, tt := range tests {
		s, r := Split(tt.def, tt.in)
		if s != tt.status || r != tt.rest {
			t.Errorf("Split(%q, %q) = %q, %q; want %q, %q", tt.def, tt.in, s, r, tt.status, tt.rest)
		}
	}
	if got := Prepend("4.0.0", "no code"); got != "4.0.0 no code" {
		t.Errorf("Prepend = %q", got)
	}
}

// TestWire checks the attribute order against the reply captured from a
// real 3.7.11 error(8) (hop status of a successful request).
func TestWire(t *testing.T) {
	var b bytes.Buffer
	w := attr.NewWriter(&b, attr.Format0)
	d := DSN{}
	if err := w.Print(append(d.Attrs(), attr.Int("status", 0))...); err != nil {
		t.Fatal(err)
	}
	want := "status\x00\x00diag_type\x00\x00diag_text\x00\x00mta_type\x00\x00mta_mname\x00\x00action\x00\x00reason\x00\x00status\x000\x00\x00"
	if b.String() != want {
		t.Fatalf("got %q", b.String())
	}
	var got DSN
	var st int
	r := attr.NewReader(&b, attr.Format0, "test")
	n, err := r.Scan(attr.Strict, append(got.Targets(), attr.RecvInt("status", &st))...)
	if err != nil || n != 8 || st != 0 {
		t.Fatalf("scan: %d %v %d", n, err, st)
	}
}

func TestNormalize(t *testing.T) {
	d := DSN{Status: "5.0.0", Reason: "x", DType: "smtp", MName: "host"}.Normalize()
	if d.DType != "" || d.MName != "" {
		t.Fatalf("%+v", d)
	}
	d = DSN{Status: "5.0.0", Reason: "x", DType: "smtp", DText: "550 no", MType: "dns", MName: "h"}.Normalize()
	if d.DText != "550 no" || d.MName != "h" {
		t.Fatalf("%+v", d)
	}
}
