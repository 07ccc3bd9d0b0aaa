package delivered

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/record"
)

func TestRead(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "qf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := record.NewWriter(f, 0)
	w.PutString(record.Size, "ignored before the offset")
	offset := w.Offset()
	for _, l := range []string{"Received: by x", "\tid 1", "Delivered-To: One@Example.COM",
		"delivered-to :  \"a b\"@example.com", "Subject: Delivered-To: not@this.one", "",
		"Delivered-To: body@example.com"} {
		w.PutString(record.Norm, l)
	}
	if err := w.PutString(record.Xtra, ""); err != nil {
		t.Fatal(err)
	}
	set, err := Read(f, offset, strings.ToLower)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr string
		want bool
	}{
		{"one@example.com", true}, {"ONE@example.com", true}, {"a b@example.com", true},
		{"not@this.one", false}, {"body@example.com", false}, {"other@example.com", false},
	}
	for _, tc := range tests {
		if got := set.Has(tc.addr); got != tc.want {
			t.Errorf("Has(%q) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}
