package main

import (
	"strings"
	"testing"
)

func TestParseAttrs(t *testing.T) {
	const owner = 1234 // not nobody's ids
	tests := []struct {
		args []string
		argv string
		err  string
	}{
		{[]string{"user=nobody", "argv=/bin/cat", "-u"}, "/bin/cat -u", ""},
		{[]string{"USER=nobody:nogroup", "ARGV=x", "user=root"}, "x user=root", ""},
		{[]string{"user=nobody"}, "", "missing argv= attribute"},
		{[]string{"argv=/bin/true"}, "", "missing user= attribute"},
		{[]string{"user=nobody", "bogus=1", "argv=x"}, "", "unknown attribute name: bogus=1"},
		{[]string{"user=no-such-user-h17", "argv=x"}, "", "unknown user name: no-such-user-h17"},
		{[]string{"user=nobody:no-such-group-h17", "argv=x"}, "", "unknown group name: no-such-group-h17"},
		{[]string{"user=root", "argv=x"}, "", "request to deliver as root"},
		{[]string{"user=nobody:root", "argv=x"}, "", "request to use privileged group id 0"},
	}
	for _, tt := range tests {
		cmd, err := parseAttrs(tt.args, owner, owner)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: error %v, want %q", tt.args, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.args, err)
		case strings.Join(cmd.argv, " ") != tt.argv:
			t.Errorf("%q: argv %q, want %q", tt.args, cmd.argv, tt.argv)
		}
	}
	if _, err := parseAttrs([]string{"user=nobody", "argv=x"}, 65534, 1); err == nil || err.Error() != "request to deliver as mail system owner" {
		t.Errorf("owner: %v", err)
	}
}
