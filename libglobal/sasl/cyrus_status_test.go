package sasl

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestDecode64(t *testing.T) {
	tests := []struct {
		in   string
		out  string
		want status
	}{
		{"", "", statusOK},
		{"dGVzdA==", "test", statusOK},
		{"dGVzdDE=", "test1", statusOK},
		{"dGVzdDEy", "test12", statusOK},
		{"=", "", statusContinue},
		{"AGJ", "", statusContinue},
		{"dGVzdA", "", statusContinue},
		{"dGVzdA==dGVz", "", statusBadProt},
		{"dGVzdA=", "", statusContinue},
		{"dGVzdA==x", "", statusBadProt},
		{"!!!!", "", statusBadProt},
		{"dG=z", "", statusBadProt},
		{"\rabc", "", statusFail},
		{"dGVz\r\n", "", statusContinue},
	}
	for _, tt := range tests {
		out, st := decode64(tt.in)
		if st != tt.want || (st == statusOK && string(out) != tt.out) {
			t.Errorf("%q: %q %v, want %q %v", tt.in, out, st, tt.out, tt.want)
		}
	}
}

func FuzzDecode64(f *testing.F) {
	for _, s := range []string{"", "=", "dGVzdA==", "AGJ", "!!!!", "YQ==YQ=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, st := decode64(in)
		std, err := base64.StdEncoding.Strict().DecodeString(in)
		if strings.ContainsAny(in, "\r\n") {
			return // encoding/base64 skips line ends; libsasl2 does not
		}
		switch {
		case st == statusOK && err == nil && !bytes.Equal(out, std):
			t.Fatalf("%q: %q, encoding/base64 %q", in, out, std)
		case err == nil && st != statusOK && len(in) > 0 && in[0] != '\r':
			t.Fatalf("%q: encoding/base64 accepts, decode64 %v", in, st)
		}
		if st == statusOK && base64.StdEncoding.EncodeToString(out) != in && err == nil {
			t.Fatalf("%q does not round-trip", in)
		}
	})
}
