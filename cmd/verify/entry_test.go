package main

import "testing"

func TestParseEntry(t *testing.T) {
	tests := []struct {
		raw  string
		ok   bool
		want entry
		bad  string
	}{
		{"0:0:1800000000:250 ok", true, entry{0, 0, 1800000000, "250 ok"}, ""},
		{"3:1800000000:0:Address verification in progress", true, entry{3, 1800000000, 0, "Address verification in progress"}, ""},
		{"2:0:5:text: with: colons", true, entry{2, 0, 5, "text: with: colons"}, ""},
		{"0:0:0:no times", false, entry{}, "0"},
		{"4:0:5:bad status", false, entry{}, "4"},
		{"x1:0:5:t", false, entry{}, "x1"},
		{"1:0:5", false, entry{}, "1"},
		{"no colon at all", false, entry{}, "no colon at all"},
		{"::5:empty fields count as digits", true, entry{0, 0, 5, "empty fields count as digits"}, ""},
	}
	for _, tc := range tests {
		e, ok, bad := parseEntry(tc.raw)
		if ok != tc.ok || e != tc.want || bad != tc.bad {
			t.Errorf("parseEntry(%q) = %+v %v %q, want %+v %v %q", tc.raw, e, ok, bad, tc.want, tc.ok, tc.bad)
		}
		if ok && e.String() != tc.raw && tc.raw[0] != ':' {
			t.Errorf("%q formats back as %q", tc.raw, e.String())
		}
	}
}

func TestSafeUltostr(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{{0, ""}, {30, "Z"}, {31, "10"}, {1800000000 / 3600, "JS91"}}
	for _, tc := range tests {
		if got := safeUltostr(tc.n, senderBase); got != tc.want {
			t.Errorf("safeUltostr(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func FuzzParseEntry(f *testing.F) {
	for _, s := range []string{"0:0:1:x", "3:1:0:y", "::", "", "1:2:3:4:5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e, ok, bad := parseEntry(raw)
		if ok && (e.probed == 0 && e.updated == 0 || bad != "") {
			t.Fatalf("accepted %q as %+v", raw, e)
		}
		if !ok && len(bad) > 100 {
			t.Fatalf("warning text too long for %q", raw)
		}
	})
}
