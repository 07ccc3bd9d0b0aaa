package main

import (
	"reflect"
	"testing"
)

// Orders observed with NORANDOMIZE=1 /usr/sbin/postconf -e ... on
// Postfix 3.7.11 (new parameters appended to main.cf).
func TestHtableOrder(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"z", "y", "x", "w", "b"}, []string{"w", "b", "x", "y", "z"}},
		{
			[]string{"p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10",
				"p11", "p12", "p13", "p14", "p15", "p16", "p17", "p18", "p19", "p20"},
			[]string{"p16", "p10", "p12", "p08", "p18", "p02", "p04", "p06", "p13", "p15",
				"p07", "p11", "p09", "p17", "p19", "p01", "p03", "p05", "p20", "p14"},
		},
	}
	for _, tc := range tests {
		if got := htableOrder(len(tc.in), tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
}
