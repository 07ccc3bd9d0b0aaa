package record

import "testing"

func TestSplitNameVal(t *testing.T) {
	tests := []struct{ in, name, value, err string }{
		{"create_time=1795958563", "create_time", "1795958563", ""},
		{"  sp = v w  ", "sp", "v w", ""},
		{"a=", "a", "", ""},
		{"=x", "", "", "missing attribute name"},
		{"   ", "", "", "missing attribute name"},
		{"noequals", "", "", "missing '=' after attribute name"},
		{"a b=c", "", "", "missing '=' after attribute name"},
	}
	for _, tc := range tests {
		n, v, e := SplitNameVal(tc.in)
		if n != tc.name || v != tc.value || e != tc.err {
			t.Errorf("SplitNameVal(%q) = %q %q %q", tc.in, n, v, e)
		}
	}
}

func TestIsHeader(t *testing.T) {
	tests := map[string]bool{
		"Subject: x": true, "Subject : x": true, "X-A:": true, ":x": false, " Subject: x": false,
		"Sub ject: x": false, "no colon": false, "": false, "a\x00b: c": false, "\xe4b: c": false,
		"a\tb: c": false, "ab\t: c": true,
	}
	for in, want := range tests {
		if got := IsHeader([]byte(in)); got != want {
			t.Errorf("IsHeader(%q) = %v", in, got)
		}
	}
}

func TestAtolAndTime(t *testing.T) {
	for in, want := range map[string]int64{"12": 12, "  -3x": -3, "+7": 7, "x": 0, "": 0,
		"99999999999999999999": 1<<63 - 1, "-99999999999999999999": -1 << 63, "     1795973003": 1795973003} {
		if got := Atol(in); got != want {
			t.Errorf("Atol(%q) = %d", in, got)
		}
	}
	if s, u := ParseTime([]byte("1795958562 476826")); s != 1795958562 || u != 476826 {
		t.Errorf("ParseTime = %d %d", s, u)
	}
	var a, b, c int64
	if n := ScanLongs("   433   832  x", &a, &b, &c); n != 2 || a != 433 || b != 832 {
		t.Errorf("ScanLongs = %d %d %d", n, a, b)
	}
	s := SizeInfo{433, 832, 3, 0, 433, 0}.Format()
	if len(s) != SizeDataLen || s != "            433             832               3               0             433               0" {
		t.Errorf("SizeInfo.Format = %q", s)
	}
}
