package smtpreply

import "testing"

func TestReplyFooter(t *testing.T) {
	lookup := func(name string) (string, bool) {
		if name == "whatever" {
			return "DUMMY", true
		}
		return "", false
	}
	for _, tc := range []struct {
		reply, template, want string
		ok                    bool
	}{
		{"", "x", "", false},
		{"1234 foo", "x", "1234 foo", false},
		{"12 foo", "x", "12 foo", false},
		{"321 foo\r\n1234 foo", "x", "321 foo\r\n1234 foo", false},
		{"550 Foo", `\c footer`, "550 Foo footer", true},
		{"550 Foo", "Bar", "550-Foo\r\n550 Bar", true},
		{"550-Foo\r\n550 Bar", "Baz", "550-Foo\r\n550-Bar\r\n550 Baz", true},
		{"550 5.1.1 Foo", "Bar", "550-5.1.1 Foo\r\n550 5.1.1 Bar", true},
		{"550-5.1.1 Foo\r\n450 4.1.1 Bar", "Baz", "550-5.1.1 Foo\r\n450-4.1.1 Bar\r\n450 4.1.1 Baz", true},
		{"550 5.1.1 Foo", `One\nTwo`, "550-5.1.1 Foo\r\n550-5.1.1 One\r\n550 5.1.1 Two", true},
		{"550 5.1.1 Foo", `\cOne\nTwo`, "550-5.1.1 FooOne\r\n550 5.1.1 Two", true},
		{"220 myhostname", `\c ${whatever`, "220 myhostname", false},
		{"220 myhostname\r\n", `\c ${whatever`, "220 myhostname\r\n", false},
		{"220 myhostname", `\c $whatever`, "220 myhostname DUMMY", true},
		{"220 myhostname\r\n", `\c $whatever`, "220 myhostname DUMMY\r\n", true},
		{"220 myhostname", `\c [$unknown]`, "220 myhostname []", true},
	} {
		got, ok := Footer(tc.reply, tc.template, "", lookup, nil)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Footer(%q, %q) = %q, %v; want %q, %v", tc.reply, tc.template, got, ok, tc.want, tc.ok)
		}
	}
}

func TestReplyFooterFilter(t *testing.T) {
	lookup := func(string) (string, bool) { return "a\tb<c>", true }
	got, _ := Footer("550 x", `\c $v`, "abc", lookup, nil)
	if got != "550 x a_b_c_" {
		t.Errorf("filtered footer: %q", got)
	}
}

func TestExpansionFilter(t *testing.T) {
	for in, want := range map[string]string{
		`\t\40!a`:       "\t !a",
		`\\[\]`:         `\[]`,
		`\101\1010`:     "AA0",
		`x\`:            "x",
		`0123456789\0.`: "0123456789",
		`\000`:          "",
	} {
		if got := ExpansionFilter(in); got != want {
			t.Errorf("ExpansionFilter(%q) = %q, want %q", in, got, want)
		}
	}
}
