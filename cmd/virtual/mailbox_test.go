package main

import (
	"strings"
	"testing"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

func TestLookupID(t *testing.T) {
	cap := &msg.Capture{}
	log := msg.New(cap)
	reg := dict.NewRegistry(log)
	stdtypes.Register(reg)
	m, err := maps.Open(reg, "virtual_uid_maps", "inline:{low@v.example=5, x@v.example=1000abc, @v.example=2000}", mapFlags, log)
	if err != nil {
		t.Fatal(err)
	}
	a := &agent{s: &libmaster.Server{Log: log}, addrEnv: &maps.AddrEnv{Delim: "+"}}
	tests := []struct {
		user string
		id   int
		ok   bool
		warn string
	}{
		{"a@v.example", 2000, true, ""},
		{"a+ext@v.example", 2000, true, ""},
		{"x@v.example", 1000, true, ""},
		{"low@v.example", 0, false, "warning: recipient low@v.example: bad uid 5 in virtual_uid_maps"},
		{"a@other.example", 0, false, "warning: recipient a@other.example: not found in virtual_uid_maps"},
	}
	for _, tc := range tests {
		cap.Lines = nil
		d := &delivery{a: a, user: tc.user}
		id, ok := d.lookupID(m, "uid", 100)
		if id != tc.id || ok != tc.ok || strings.Join(cap.Lines, "") != tc.warn {
			t.Errorf("%s: %d %v %q, want %d %v %q", tc.user, id, ok, cap.Lines, tc.id, tc.ok, tc.warn)
		}
	}
}

func TestAtol(t *testing.T) {
	for s, want := range map[string]int64{"123": 123, " 42x": 42, "-7": -7, "x": 0, "": 0, "+9": 9} {
		if got := atol(s); got != want {
			t.Errorf("atol(%q) = %d, want %d", s, got, want)
		}
	}
}
