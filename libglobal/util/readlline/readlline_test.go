package readlline

import (
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

func TestLogicalLines(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []Line
		warns string
	}{
		{"simple", "a = b\nc = d\n", []Line{{"a = b", 1, 1}, {"c = d", 2, 2}}, ""},
		{"no final newline", "a = b", []Line{{"a = b", 1, 1}}, ""},
		{"continuation keeps whitespace", "a = x\n  y\n\tz\n", []Line{{"a = x  y\tz", 1, 3}}, ""},
		{"comment inside continuation", "a = x\n# c\n  # c2\n  y\nb = 1\n",
			[]Line{{"a = x  y", 1, 4}, {"b = 1", 5, 5}}, ""},
		{"blank lines", "\n  \n# x\na = 1\n\n", []Line{{"a = 1", 4, 4}}, ""},
		{"leading whitespace", "  bad line\na = 1\n", []Line{{"a = 1", 2, 2}},
			"warning: f: logical line must not start with whitespace: \"  bad line\"\n"},
		{"leading whitespace long", "  0123456789012345678901234567890123\na = 1\n", []Line{{"a = 1", 2, 2}},
			"warning: f: logical line must not start with whitespace: \"  0123456789012345678901234567...\"\n"},
		{"nul byte", "a = b\x00c\n", []Line{{"a = b", 1, 1}},
			"warning: f, line 1: text after null byte may be ignored\n"},
		{"crlf", "a = b\r\n", []Line{{"a = b\r", 1, 1}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c msg.Capture
			got, err := All(strings.NewReader(tc.in), "f", msg.New(&c))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("line %d: got %+v want %+v", i, got[i], tc.want[i])
				}
			}
			if c.String() != tc.warns {
				t.Errorf("warnings: got %q want %q", c.String(), tc.warns)
			}
		})
	}
}

func TestWhere(t *testing.T) {
	if w := (Line{First: 3, Last: 3}).Where(); w != "line 3" {
		t.Fatal(w)
	}
	if w := (Line{First: 3, Last: 5}).Where(); w != "line 3-5" {
		t.Fatal(w)
	}
}
