package mysql

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain@example.com":     "plain@example.com",
		"o'k":                   `o\'k`,
		`a"b\c`:                 `a\"b\\c`,
		"nul\x00nl\ncr\r^Z\x1a": `nul\0nl\ncr\r^Z\Z`,
		"café":                  "café",
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOptions(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/inc.cnf", "[client]\nport = 3307\n")
	writeFile(t, dir+"/my.cnf", "# comment\n[mysqld]\nuser = mysql\n[client]\nsocket = '/run/s'\nuser=pf\n!include "+dir+"/inc.cnf\n[postfix]\nuser = other\n")
	tb := &table{conf: &settings{optionFile: dir + "/my.cnf", optionGroup: "client"}}
	opts, _ := tb.options()
	if opts["socket"] != "/run/s" || opts["user"] != "pf" || opts["port"] != "3307" {
		t.Errorf("client group: %v", opts)
	}
	tb.conf.optionGroup = "postfix"
	if opts, _ := tb.options(); opts["user"] != "other" {
		t.Errorf("postfix group: %v", opts)
	}
}
