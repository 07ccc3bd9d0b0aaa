package main

import (
	"reflect"
	"testing"
)

// Orders observed with NORANDOMIZE=1 /usr/sbin/postconf -e ... on
// Postfix 3.7.11 (new parameters appended to main.cf).
func TestHtableOrder(t *testing.T) {
	got := htableOrder(5, []string{"z", "y", "x", "w", "b"})
	want := []string{"w", "b", "x", "y", "z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
}
