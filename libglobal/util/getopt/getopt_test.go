package getopt

import (
	"bytes"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		argv     []string
		opts     []Option
		operands []string
		errs     string
	}{
		{"bundled", []string{"postconf", "-nx"}, []Option{{'n', ""}, {'x', ""}}, nil, ""},
		{"attached arg", []string{"postconf", "-c/etc/x", "a"}, []Option{{'c', "/etc/x"}}, []string{"a"}, ""},
		{"separate arg", []string{"postconf", "-c", "/etc/x", "a"}, []Option{{'c', "/etc/x"}}, []string{"a"}, ""},
		{"bundle then arg", []string{"postconf", "-nc", "dir"}, []Option{{'n', ""}, {'c', "dir"}}, nil, ""},
		{"permuted", []string{"postconf", "a", "-n", "b"}, []Option{{'n', ""}}, []string{"a", "b"}, ""},
		{"double dash", []string{"postconf", "-n", "--", "-x"}, []Option{{'n', ""}}, []string{"-x"}, ""},
		{"lone dash", []string{"postmap", "-q", "-", "f"}, []Option{{'q', "-"}}, []string{"f"}, ""},
		{"invalid", []string{"postconf", "-Z"}, []Option{{'?', ""}}, nil, "postconf: invalid option -- 'Z'\n"},
		{"missing arg", []string{"postconf", "-c"}, []Option{{'?', ""}}, nil, "postconf: option requires an argument -- 'c'\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errs bytes.Buffer
			opts, operands := Parse(tc.argv, "c:nxq:", &errs)
			if !reflect.DeepEqual(opts, tc.opts) {
				t.Errorf("opts %v, want %v", opts, tc.opts)
			}
			if !reflect.DeepEqual(operands, tc.operands) {
				t.Errorf("operands %q, want %q", operands, tc.operands)
			}
			if errs.String() != tc.errs {
				t.Errorf("errors %q, want %q", errs.String(), tc.errs)
			}
		})
	}
}

func TestNoPermute(t *testing.T) {
	opts, operands := Parse([]string{"p", "a", "-n"}, "+n", &bytes.Buffer{})
	if len(opts) != 0 || !reflect.DeepEqual(operands, []string{"a", "-n"}) {
		t.Fatalf("got %v %q", opts, operands)
	}
}
