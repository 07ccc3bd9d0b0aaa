package mac

import (
	"reflect"
	"testing"
)

func TestParseTokens(t *testing.T) {
	for _, tc := range []struct {
		in       string
		tokens   []string
		warnings []string
		status   int
	}{
		{"one=$1 two=${2} $$", []string{"L:one=", "E:1", "L: two=", "E:2", "L: $"}, nil, 0},
		{"$(a{b)c", []string{"E:a{b", "L:c"}, nil, 0},
		{"x ${1", []string{"L:x "}, []string{`truncated macro reference: "x ${1"`}, StatusError},
		{"a$-b", []string{"L:a"}, []string{`empty macro name: "a$-b"`}, StatusError},
	} {
		var tokens, warnings []string
		status := Parse(tc.in, func(w string) { warnings = append(warnings, w) }, func(k TokenKind, s string) int {
			p := "L:"
			if k == Expr {
				p = "E:"
			}
			tokens = append(tokens, p+s)
			return 0
		})
		if !reflect.DeepEqual(tokens, tc.tokens) || !reflect.DeepEqual(warnings, tc.warnings) || status != tc.status {
			t.Errorf("Parse(%q) = %q, %q, %d; want %q, %q, %d", tc.in, tokens, warnings, status, tc.tokens, tc.warnings, tc.status)
		}
	}
}
