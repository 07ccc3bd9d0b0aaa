package ipmatch

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		pattern string
		err     string
		yes, no []string
	}{
		{"1.2.3.4", "", []string{"1.2.3.4"}, []string{"1.2.3.5"}},
		{"1.2.300.4", `need decimal number 0..255 or "[" at "1.2.>300<.4"`, nil, nil},
		{"1.2.3.", `need decimal number 0..255 or "[" at "1.2.3.><"`, nil, nil},
		{"1.2.3", `need "." at "1.2.3><"`, nil, nil},
		{"a", `need decimal number 0..255 or "[" at ">a<"`, nil, nil},
		{"1.2.3;4", `need "." at "1.2.3>;<4"`, nil, nil},
		{"1.2.[3].4", "", []string{"1.2.3.4"}, []string{"1.2.4.4"}},
		{"1.2.[].4", `need decimal number 0..255 at "1.2.[>]<.4"`, nil, nil},
		{"1.2.].4", `need decimal number 0..255 or "[" at "1.2.>]<.4"`, nil, nil},
		{"1.2.[1-255].5", `need ";" or "]" at "1.2.[1>-<255].5"`, nil, nil},
		{"1.2.[1..127.128..255].5", `need ";" or "]" at "1.2.[1..127>.<128..255].5"`, nil, nil},
		{"1.2.3.[4..1]", `numeric range error at "1.2.3.[4..>1<]"`, nil, nil},
		{"1.2.3.[4.1]", `numeric range error at "1.2.3.[4.>1<]"`, nil, nil},
		{"1.2.3.[x]", `need decimal number 0..255 at "1.2.3.[>x<]"`, nil, nil},
		{"1.2.3.4x", `garbage after pattern at "1.2.3.4>x<"`, nil, nil},
		{"1.2.[3..11].5", "", []string{"1.2.3.5", "1.2.11.5"}, []string{"1.2.2.5", "1.2.12.5", "1.2.11.6"}},
		{"1.2.[3;5;7;9;11].5", "", []string{"1.2.3.5", "1.2.11.5"}, []string{"1.2.4.5", "1.2.12.5"}},
		{"[1;2].3.4.5", "", []string{"1.3.4.5", "2.3.4.5"}, []string{"3.3.4.5", "::1", "junk"}},
		{"[[1;2].3.4.5]", "", []string{"1.3.4.5", "2.3.4.5"}, []string{"3.3.4.5"}},
		{"[[1;2].3.4.5", `missing "]" character`, nil, nil},
		{"", "empty address pattern", nil, nil},
		{"127.0.0.[2..255]", "", []string{"127.0.0.2", "127.0.0.255"}, []string{"127.0.0.1"}},
	}
	for _, tc := range tests {
		f, err := Parse(tc.pattern)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.err {
			t.Errorf("%q: error %q, want %q", tc.pattern, got, tc.err)
			continue
		}
		for _, a := range tc.yes {
			if !f.Match(a) {
				t.Errorf("%q does not match %s", tc.pattern, a)
			}
		}
		for _, a := range tc.no {
			if f.Match(a) {
				t.Errorf("%q matches %s", tc.pattern, a)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "[1;2].3.4.5", "1.2.[3..11].5", "1.2.3.[4..1]", "[[1;2].3.4.5]"} {
		f.Add(s, "1.2.3.4")
	}
	f.Fuzz(func(t *testing.T, pattern, addr string) {
		if flt, err := Parse(pattern); err == nil {
			flt.Match(addr)
		}
	})
}
