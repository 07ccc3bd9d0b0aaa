package sqltable

import (
	"bytes"
	"strings"
	"testing"
)

func FuzzParseSettings(f *testing.F) {
	for _, s := range []string{"hosts = a b\nuser = u\n", "# c\n  cont\nx=1\n", "garbage\n", "=x\n", "a = 1\na = 2\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		settings, err := ParseSettings(bytes.NewBufferString(text), "/f.cf", nil)
		if err != nil {
			return
		}
		for name := range settings {
			if name == "" || strings.ContainsAny(name, " \t=") {
				t.Fatalf("bad name %q from %q", name, text)
			}
		}
	})
}

func FuzzExpand(f *testing.F) {
	f.Add("SELECT '%s' %u %d %1 %2", "%s %S %U %D", "user@a.b.c", "v@w")
	f.Add("%%", "%u", "@x", "")
	f.Add("%9", "%d", "a@..", "x@")
	f.Fuzz(func(t *testing.T, query, result, key, value string) {
		tm, err := ParseTemplates("mysql", "/f.cf", query, result, nil)
		if err != nil {
			return
		}
		q, ok := tm.ExpandQuery(key, func(s string) string { return strings.ReplaceAll(s, "'", "\\'") })
		if ok && !strings.Contains(query, "%") && q != query {
			t.Fatalf("constant query %q expanded to %q", query, q)
		}
		r := tm.NewResult(key, 1, "dict_mysql_lookup")
		r.Add(value, false)
		r.Add(value, false)
	})
}
