package main

import (
	"fmt"
	"strings"
	"testing"
)

// hbcRecorder is an hbcContext that records what the actions do.
type hbcRecorder struct{ out []string }

func (r *hbcRecorder) hbcLog(action, where, content, text string) {
	r.out = append(r.out, fmt.Sprintf("log %s %s %s: %s", action, where, content, text))
}
func (r *hbcRecorder) hbcPrepend(text string) error {
	r.out = append(r.out, "prepend "+text)
	return nil
}
func (r *hbcRecorder) warnf(format string, args ...any) {
	r.out = append(r.out, "warn "+fmt.Sprintf(format, args...))
}

func TestHBCAction(t *testing.T) {
	tests := []struct {
		where, action, line string
		res                 hbcResult
		text                string
		out                 string
	}{
		{"header", "WARN odd", "X: 1", hbcKeep, "", "log warning header X: 1: odd"},
		{"header", "info", "X: 1", hbcKeep, "", "log info header X: 1: "},
		{"header", "REPLACE Y: 2", "X: 1", hbcReplace, "Y: 2", "log replace header X: 1: Y: 2"},
		{"header", "REPLACE junk", "X: 1", hbcKeep, "", `warn bad REPLACE header text "junk" in c map -- need "headername: headervalue"`},
		{"body", "REPLACE junk", "x", hbcReplace, "junk", "log replace body x: junk"},
		{"body", "REPLACE", "x", hbcKeep, "", "warn REPLACE action without text in c map"},
		{"header", "PREPEND Z: 3", "X: 1", hbcKeep, "", "log prepend header X: 1: Z: 3|prepend Z: 3"},
		{"header", "PREPEND", "X: 1", hbcKeep, "", "warn PREPEND action without text in c map"},
		{"body", "Strip because", "x", hbcDrop, "", "log strip body x: because"},
		{"body", "IGNORE", "x", hbcDrop, "", ""},
		{"body", "DUNNO", "x", hbcKeep, "", ""},
		{"body", "OK", "x", hbcKeep, "", ""},
		{"body", "REJECT no", "x", hbcKeep, "", "warn unsupported command in c map: REJECT no"},
		{"body", "DISCARD", "x", hbcKeep, "", "warn unsupported command in c map: DISCARD"},
	}
	for _, tc := range tests {
		r := &hbcRecorder{}
		res, text, err := hbcAction(r, "c", tc.where, tc.action, tc.line)
		if err != nil || res != tc.res || text != tc.text || strings.Join(r.out, "|") != tc.out {
			t.Errorf("%s %q: %v %q %v %q, want %v %q %q", tc.where, tc.action, res, text, err, r.out, tc.res, tc.text, tc.out)
		}
	}
}

func TestFoldAddressLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"To: a@b", "To: a@b"},
		{"To: a@b,\nc@d", "To: a@b, c@d"},
		{"To: " + strings.Repeat("a", 25) + "@b,\n" + strings.Repeat("c", 25) + "@d,\n" + strings.Repeat("e", 25) + "@f",
			"To: " + strings.Repeat("a", 25) + "@b, " + strings.Repeat("c", 25) + "@d,|\t" + strings.Repeat("e", 25) + "@f"},
		{"To: x,\n a", "To: x,  a"},
	}
	for _, tc := range tests {
		if got := strings.Join(foldAddressLines(tc.in), "|"); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}
