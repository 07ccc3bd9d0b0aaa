package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/mbox"
)

var testIDs = idLookup{
	user: func(name string) (int, int, error) {
		switch name {
		case "nobody":
			return 65534, 65534, nil
		case "root":
			return 0, 0, nil
		case "postfix":
			return 102, 105, nil
		case "wheelie":
			return 1000, 0, nil
		}
		return 0, 0, errors.New("unknown")
	},
	group: func(name string) (int, error) {
		switch name {
		case "nogroup":
			return 65534, nil
		case "postdrop":
			return 106, nil
		}
		return 0, errors.New("unknown")
	},
}

var testOwner = ownerIDs{owner: "postfix", ownerUID: 102, ownerGID: 105, sgidGroup: "postdrop", sgidGID: 106}

func TestParseAttrs(t *testing.T) {
	tests := []struct {
		args string
		want *attrs
		err  string
	}{
		{"flags=BDFORX.>hqu user=nobody argv=/bin/cat -", &attrs{command: []string{"/bin/cat", "-"}, uid: 65534, gid: 65534,
			flags: mbox.CopyBlank | mbox.CopyDelivered | mbox.CopyFrom | mbox.CopyOrigRcpt | mbox.CopyReturnPath |
				optFinalDelivery | mbox.CopyDot | mbox.CopyQuote | optFoldAll | optQuoteLocal,
			eol: "\n", nullSender: "MAILER-DAEMON"}, ""},
		{"USER=nobody:nogroup Size=100 eol=\\r\\n null_sender= directory=/tmp chroot=/srv argv=x flags=Z",
			&attrs{command: []string{"x", "flags=Z"}, uid: 65534, gid: 65534, eol: "\r\n", sizeLimit: 100,
				execDir: "/tmp", chrootDir: "/srv"}, ""},
		{"user=nobody eol=\\101\\7z argv=x", &attrs{command: []string{"x"}, uid: 65534, gid: 65534, eol: "A\az",
			nullSender: "MAILER-DAEMON"}, ""},
		{"flags=Z user=nobody argv=x", nil, "unknown flag: Z (ignored)"},
		{"user=ghost argv=x", nil, "get_service_attr: unknown username: ghost"},
		{"user=nobody:ghosts argv=x", nil, "get_service_attr: unknown group: ghosts"},
		{"user=nobody size=1k argv=x", nil, "get_service_attr: bad size= value: 1k"},
		{"user=nobody bogus=1 argv=x", nil, "unknown attribute name: bogus=1"},
		{"argv=x", nil, "missing user= command-line attribute"},
		{"user=nobody", nil, "missing argv= command-line attribute"},
		{"user=root argv=x", nil, "user= command-line attribute specifies root privileges"},
		{"user=postfix argv=x", nil, "user= command-line attribute specifies mail system owner postfix"},
		{"user=wheelie argv=x", nil, "user= command-line attribute specifies privileged group id 0"},
		{"user=nobody:postdrop argv=x", nil, "user= command-line attribute specifies mail system postdrop group id 106"},
	}
	for _, tc := range tests {
		got, err := parseAttrs(strings.Fields(tc.args), testIDs, testOwner)
		errText := ""
		if err != nil {
			errText = err.Error()
		}
		if errText != tc.err {
			t.Errorf("%s: error %q, want %q", tc.args, errText, tc.err)
			continue
		}
		if tc.want != nil {
			if tc.want.nullSender == "" && !strings.Contains(tc.args, "null_sender=") {
				tc.want.nullSender = "MAILER-DAEMON"
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s:\n got %+v\nwant %+v", tc.args, got, tc.want)
			}
		}
	}
}

func TestExpandArgv(t *testing.T) {
	rcpts := []deliver.Recipient{{Address: "User+Ext@Example.COM", OrigAddr: "orig@x"},
		{Address: "+board@example.com"}, {Address: "a b@example.com"}, {Address: "noat"}}
	tests := []struct {
		flags int
		argv  string
		want  string
		warns int
	}{
		{0, "-f $sender -- $recipient", "-f|s@x|--|User+Ext@Example.COM|+board@example.com|a b@example.com|noat", 0},
		{optFoldAll, "${user} $(extension) x${domain}", "user|+board|a b|noat|ext||||xexample.com|xexample.com|xexample.com|x", 3},
		{optFoldUser | optQuoteLocal, "$recipient $original_recipient", "user+ext@Example.COM|+board@example.com|\"a b\"@example.com|noat|orig@x|\"\"|\"\"|\"\"", 0},
		{0, "$mailbox@$nexthop $$ $size", "User+Ext@hop|+board@hop|a b@hop|noat@hop|$|42", 1},
	}
	for _, tc := range tests {
		var warns []string
		e := &expander{flags: tc.flags, delim: "+", warn: func(f string, a ...any) { warns = append(warns, f) },
			env: &maps.AddrEnv{Delim: "+"}, service: "p", confDir: "/etc/postfix",
			vars: map[string]string{"sender": "s@x", "nexthop": "hop", "size": "42"}}
		got, ok := e.argv(strings.Fields(tc.argv), rcpts)
		if !ok || strings.Join(got, "|") != tc.want {
			t.Errorf("%q flags %x: got %q (%v), want %q", tc.argv, tc.flags, strings.Join(got, "|"), ok, tc.want)
		}
		if len(warns) != tc.warns {
			t.Errorf("%q: warnings %q", tc.argv, warns)
		}
	}
}

func TestUnknownMacro(t *testing.T) {
	var warns []string
	e := &expander{warn: func(f string, a ...any) { warns = append(warns, f) }, service: "p", confDir: "/c",
		env: &maps.AddrEnv{}, vars: map[string]string{}}
	if _, ok := e.argv([]string{"${recipient?x}"}, []deliver.Recipient{{Address: "a@b"}}); ok || len(warns) != 1 {
		t.Errorf("a conditional form was accepted (%q)", warns)
	}
}

func TestFoldAddr(t *testing.T) {
	tests := []struct {
		addr  string
		flags int
		want  string
	}{
		{"Ab@Cd", 0, "Ab@Cd"}, {"Ab@Cd", optFoldUser, "ab@Cd"}, {"Ab@Cd", optFoldHost, "Ab@cd"},
		{"Ab@Cd", optFoldAll, "ab@cd"}, {"AbCd", optFoldHost, "abcd"}, {"AbCd", optFoldUser, "abcd"},
	}
	for _, tc := range tests {
		if got := foldAddr(tc.addr, tc.flags, true); got != tc.want {
			t.Errorf("foldAddr(%q, %x) = %q, want %q", tc.addr, tc.flags, got, tc.want)
		}
	}
}
