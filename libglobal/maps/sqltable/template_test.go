package sqltable

import (
	"strings"
	"testing"
)

func TestExpandQuery(t *testing.T) {
	quote := func(s string) string { return strings.ReplaceAll(s, "'", "''") }
	tests := []struct {
		query, result, key string
		want               string // "" with ok false: not looked up
	}{
		{"k=%s", "%s", "a@b.c", "k=a@b.c"},
		{"u=%u d=%d", "%s", "a@b.c", "u=a d=b.c"},
		{"u=%u", "%s", "plain", "u=plain"},
		{"d=%d", "%s", "plain", ""},
		{"d=%d", "%s", "a@", ""},
		{"u=%u", "%s", "@b.c", ""},
		{"%1/%2/%3", "%s", "x@a.b.c", "c/b/a"},
		{"%3", "%s", "x@b.c", ""},
		{"%2", "%s", "x@a..b.", "a"},
		{"%S %U %D", "%s", "x@y.z", "x@y.z x y.z"},
		{"100%% '%s'", "%s", "o'k", "100% 'o''k'"},
		{"q", "%D", "plain", ""}, // result %D makes the key need a domain
		{"q", "%U", "@d", ""},
		{"q=%s", "%s", "", ""},
	}
	for _, tc := range tests {
		tm, err := ParseTemplates("mysql", "/t.cf", tc.query, tc.result, nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.query, err)
		}
		got, ok := tm.ExpandQuery(tc.key, quote)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("query %q key %q: got %q %v, want %q", tc.query, tc.key, got, ok, tc.want)
		}
	}
}

func TestExpandResult(t *testing.T) {
	tests := []struct {
		result, key string
		values      []string
		limit       int
		want        string
		exceeded    bool
	}{
		{"%s", "k", []string{"a", "b"}, 0, "a,b", false},
		{"<%u|%d>", "k", []string{"x@y", "nodomain", "@y"}, 0, "<x|y>", false},
		{"%U at %D (%S) %%", "me@here.org", []string{"v"}, 0, "me at here.org (me@here.org) %", false},
		{"%2", "me@a.b.c", []string{"v"}, 0, "b", false},
		{"%s", "k", []string{"a", "b", "c"}, 2, "a,b,c", true},
		{"%s", "k", []string{"a", "", "b"}, 2, "a,b", false},
	}
	for _, tc := range tests {
		tm, err := ParseTemplates("mysql", "/t.cf", "%s", tc.result, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := tm.NewResult(tc.key, tc.limit, "dict_mysql_lookup")
		for _, v := range tc.values {
			if !r.Add(v, false) {
				break
			}
		}
		got, _ := r.Value()
		if got != tc.want || r.Exceeded != tc.exceeded {
			t.Errorf("%q %v: got %q exceeded=%v, want %q %v", tc.result, tc.values, got, r.Exceeded, tc.want, tc.exceeded)
		}
	}
}

func TestParseTemplatesErrors(t *testing.T) {
	for _, tc := range []struct{ query, result, want string }{
		{"SELECT '%x'", "%s", "db_common_parse: /t.cf: Invalid query template: SELECT '%x'"},
		{"SELECT 1", "%", "db_common_parse: /t.cf: Invalid result template: %"},
		{"SELECT %", "%s", "db_common_parse: /t.cf: Invalid query template: SELECT %"},
	} {
		_, err := ParseTemplates("mysql", "/t.cf", tc.query, tc.result, nil)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q %q: got %v, want %s", tc.query, tc.result, err, tc.want)
		}
	}
}
