package regexp

import "testing"

func TestCompileAndMatch(t *testing.T) {
	for _, tc := range []struct {
		pat     string
		flags   int
		subs    bool
		subject string
		match   bool
		offsets [][2]int
	}{
		{`^(a)(b)?(c)$`, Extended | ICase, true, "AC", true, [][2]int{{0, 2}, {0, 1}, {-1, -1}, {1, 2}}},
		{`^X-Case: abc$`, Extended, false, "x-case: ABC", false, nil},
		{`^a.c$`, Extended | Newline, false, "a\nc", false, nil},
		{`^a.c$`, Extended, false, "a\nc", true, nil},
		{`^a\(b\)c$`, 0, true, "abc", true, [][2]int{{0, 3}, {1, 2}}},
		{`^ab$`, Extended, false, "ab\x00cd", true, nil},
	} {
		x, err := Compile(tc.pat, tc.flags, tc.subs)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.pat, err)
		}
		m, err := x.Match(tc.subject)
		if err != nil || m != tc.match {
			t.Errorf("%q on %q = %v, %v; want %v", tc.pat, tc.subject, m, err, tc.match)
		}
		for n, g := range tc.offsets {
			s, e, ok := x.Group(n)
			if !ok {
				s, e = -1, -1
			}
			if [2]int{s, e} != g {
				t.Errorf("%q on %q: group %d = %d,%d; want %v", tc.pat, tc.subject, n, s, e, g)
			}
		}
		x.Free()
	}
}

func TestCompileError(t *testing.T) {
	for _, tc := range []struct{ pat, want string }{
		{"[", "Invalid regular expression"},
		{"a{1", "Unmatched \\{"},
		{"(a", "Unmatched ( or \\("},
	} {
		_, err := Compile(tc.pat, Extended|ICase, false)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Compile(%q) = %v, want %q", tc.pat, err, tc.want)
		}
	}
	x, err := Compile(`(a)(b(c))`, Extended, false)
	if err != nil || x.Groups() != 3 {
		t.Fatalf("Groups = %v, %v", x, err)
	}
}
