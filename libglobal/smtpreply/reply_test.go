package smtpreply

import (
	"reflect"
	"testing"
)

func TestLinesAndString(t *testing.T) {
	tests := []struct {
		r     Reply
		str   string
		lines []string
	}{
		{New(250, "2.1.0", "Ok"), "250 2.1.0 Ok", []string{"250 2.1.0 Ok"}},
		{New(501, "", "Syntax: HELO hostname"), "501 Syntax: HELO hostname", []string{"501 Syntax: HELO hostname"}},
		{New(550, "5.7.1", "no\nreally"), "550 5.7.1 no\nreally", []string{"550-5.7.1 no", "550 5.7.1 really"}},
	}
	for _, tc := range tests {
		if got := tc.r.String(); got != tc.str {
			t.Errorf("String() = %q, want %q", got, tc.str)
		}
		if got := tc.r.Lines(); !reflect.DeepEqual(got, tc.lines) {
			t.Errorf("Lines() = %q, want %q", got, tc.lines)
		}
	}
}

func TestParseAndDSN(t *testing.T) {
	tests := []struct {
		in   string
		want Reply
		ok   bool
	}{
		{"550 5.7.0 Go away", Reply{550, "5.7.0", "Go away"}, true},
		{"450 try again", Reply{450, "", "try again"}, true},
		{"451 4.3.5", Reply{451, "4.3.5", ""}, true},
		{"45x nope", Reply{}, false},
		{"4500 x", Reply{}, false},
		{"550 5.7.1000 x", Reply{550, "", "5.7.1000 x"}, true},
	}
	for _, tc := range tests {
		got, ok := Parse(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Parse(%q) = %+v %v, want %+v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for s, want := range map[string]bool{"5.7.1": true, "4.1.10": true, "2.0.0": true, "3.0.0": false, "5.7": false, "5.7.": false, "5..1": false} {
		if ValidDSN(s) != want {
			t.Errorf("ValidDSN(%q) != %v", s, want)
		}
	}
	if r := New(550, "4.1.8", "x").FixClass(); r.DSN != "5.1.8" {
		t.Errorf("FixClass gave %s", r.DSN)
	}
	if r := New(554, "5.7.1", "x").SoftBounce(); r.Code != 454 || r.DSN != "4.7.1" {
		t.Errorf("SoftBounce gave %v", r)
	}
}
