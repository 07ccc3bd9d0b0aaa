package main

import (
	"os"
	"strings"
	"testing"
)

// TestMapTypes compares the postconf -m list with the real program's
// (testdata/postconf-m-3.7.11.txt, made with Postfix 3.7.11 on Debian 12).
func TestMapTypes(t *testing.T) {
	want, err := os.ReadFile("testdata/postconf-m-3.7.11.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(mapTypes(), "\n") + "\n"
	if got != string(want) {
		t.Errorf("postconf -m:\n%s\nwant:\n%s", got, want)
	}
}
