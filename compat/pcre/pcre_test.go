package pcre

import "testing"

func TestCompileAndMatch(t *testing.T) {
	for _, tc := range []struct {
		pat     string
		opts    uint32
		subject string
		match   bool
		groups  [][2]int // offsets of groups 0.., {-1,-1} for unset
	}{
		{`^(a)(b)?(c)$`, Caseless | DotAll, "AC", true, [][2]int{{0, 2}, {0, 1}, {-1, -1}, {1, 2}}},
		{`^abc$`, 0, "ABC", false, nil},
		{`^a.c$`, DotAll, "a\nc", true, [][2]int{{0, 3}}},
		{`^a.c$`, 0, "a\nc", false, nil},
		{`^x(?<n>\d+)$`, Caseless, "x42", true, [][2]int{{0, 3}, {1, 3}}},
		{`a+?`, Ungreedy, "aaa", true, [][2]int{{0, 3}}},
		{`b`, Anchored, "ab", false, nil},
	} {
		c, err := Compile(tc.pat, tc.opts)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.pat, err)
		}
		m, err := c.Match(tc.subject)
		if err != nil || m != tc.match {
			t.Errorf("%q on %q = %v, %v; want %v", tc.pat, tc.subject, m, err, tc.match)
		}
		for n, g := range tc.groups {
			s, e, ok := c.Group(n)
			if !ok {
				s, e = -1, -1
			}
			if [2]int{s, e} != g {
				t.Errorf("%q on %q: group %d = %d,%d; want %v", tc.pat, tc.subject, n, s, e, g)
			}
		}
		c.Free()
	}
}

func TestCompileError(t *testing.T) {
	_, err := Compile("[", 0)
	if err == nil || err.Error() != "error in regex at offset 1: missing terminating ] for character class" {
		t.Fatalf("Compile([) = %v", err)
	}
	c, err := Compile(`(a)(?:b)(c)`, 0)
	if err != nil || c.Groups() != 2 {
		t.Fatalf("Groups = %v, %v", c, err)
	}
}

func TestMatchError(t *testing.T) {
	// Catastrophic backtracking hits PCRE2's match limit; the error is
	// PCRE2's text.
	c, err := Compile(`^(a+)+$`, 0)
	if err != nil {
		t.Fatal(err)
	}
	subject := ""
	for i := 0; i < 40; i++ {
		subject += "a"
	}
	_, err = c.Match(subject + "b")
	if err == nil || err.Error() != "match limit exceeded" {
		t.Fatalf("Match = %v, want the match limit error", err)
	}
}
