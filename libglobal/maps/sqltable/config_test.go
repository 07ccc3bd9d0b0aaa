package sqltable

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.cf")
	text := "# comment\nhosts = a, b\n  c\nuser=u\nuser = v\nlimit = 12\nflag = YES\nbad = 1x\n"
	if err := os.WriteFile(path, []byte(text), 0644); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	c, err := LoadConfig(path, nil, msg.New(msg.NewWriterSink("test", &log)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Str("hosts", "", 0, 0); got != "a, b  c" {
		t.Errorf("hosts = %q", got)
	}
	if got, _ := c.Str("user", "", 0, 0); got != "v" {
		t.Errorf("user = %q", got)
	}
	if !strings.Contains(log.String(), "line 5: overriding earlier entry: user=u") {
		t.Errorf("log: %q", log.String())
	}
	if n, err := c.Int("limit", 0, 0, 0); n != 12 || err != nil {
		t.Errorf("limit = %d, %v", n, err)
	}
	if b, err := c.Bool("flag", -1); b != 1 || err != nil {
		t.Errorf("flag = %d, %v", b, err)
	}
	if b, _ := c.Bool("unset", -1); b != -1 {
		t.Errorf("unset bool = %d", b)
	}
	for _, tc := range []struct {
		err  func() error
		want string
	}{
		{func() error { _, err := c.Int("bad", 0, 0, 0); return err }, path + ": bad numerical configuration: bad = 1x"},
		{func() error { _, err := c.Int("limit", 0, 0, 10); return err }, path + ": invalid limit parameter value 12 > 10"},
		{func() error { _, err := c.Str("dbname", "", 1, 0); return err }, path + ": bad string length 0 < 1: dbname = "},
		{func() error { _, err := c.Bool("hosts", 0); return err }, path + ": bad boolean configuration: hosts = a, b  c"},
	} {
		if err := tc.err(); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %s", err, tc.want)
		}
	}
}

func TestConfigMainCF(t *testing.T) {
	params := map[string]string{"pf_dbname": "mail"}
	c, err := LoadConfig("pf", func(n string) (string, bool) { v, ok := params[n]; return v, ok }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Str("dbname", "", 1, 0); got != "mail" {
		t.Errorf("dbname = %q", got)
	}
	if _, err := c.Str("query", "", 1, 0); err == nil || err.Error() != "bad string length 0 < 1: pf_query = " {
		t.Errorf("query: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadConfig(dir+"/missing.cf", nil, nil); err == nil || err.Error() != "open "+dir+"/missing.cf: No such file or directory" {
		t.Errorf("missing: %v", err)
	}
	path := filepath.Join(dir, "bad.cf")
	os.WriteFile(path, []byte("a = 1\ngarbage\n"), 0644)
	if _, err := LoadConfig(path, nil, nil); err == nil || err.Error() != path+", line 2: missing '=' after attribute name: \"garbage\"" {
		t.Errorf("bad line: %v", err)
	}
}

func TestLegacyQuery(t *testing.T) {
	params := map[string]string{"x_table": "t", "x_select_field": "s", "x_where_field": "w", "x_additional_conditions": "AND 1"}
	c, _ := LoadConfig("x", func(n string) (string, bool) { v, ok := params[n]; return v, ok }, nil)
	if q, err := LegacyQuery(c); q != "SELECT s FROM t WHERE w='%s' AND 1" || err != nil {
		t.Errorf("got %q, %v", q, err)
	}
}
