package main

import (
	"bufio"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

func TestSiteToPath(t *testing.T) {
	tests := []struct {
		site, path string
		ok         bool
		warning    string
	}{
		{"example.com", "example_com", true, ""},
		{"EXAMPLE.Com", "example_com", true, ""},
		{"Foo_Bar.example", "foo_bar_example", true, ""},
		{"bücher.example", "xn__bcher_kva_example", true, ""},
		{"BÜCHER.example", "xn__bcher_kva_example", true, ""},
		{"[1.2.3.4]", "", false, "malformed ASCII label(s)"},
		{"1.2.3.4", "", false, "malformed ASCII label(s)"},
		{"a*.example", "", false, "malformed ASCII label(s)"},
		{"bad\xff.example", "", false, "malformed UTF-8"},
		{"-lead.example", "", false, "UIDNA_ERROR_LEADING_HYPHEN"},
		{"a..example", "", false, "UIDNA_ERROR_EMPTY_LABEL"},
	}
	for _, tt := range tests {
		var logged strings.Builder
		log := msg.New()
		log.SetSinks(msg.NewWriterSink("flush", &logged))
		f := &flusher{log: log}
		path, ok := f.siteToPath(tt.site)
		if path != tt.path || ok != tt.ok {
			t.Errorf("%q: %q %v, want %q %v", tt.site, path, ok, tt.path, tt.ok)
		}
		if tt.warning == "" && logged.Len() > 0 || !strings.Contains(logged.String(), tt.warning) {
			t.Errorf("%q: logged %q, want %q", tt.site, logged.String(), tt.warning)
		}
	}
}

func TestReadLine(t *testing.T) {
	rd := bufio.NewReader(strings.NewReader("A1\n\nB2"))
	var got []string
	for {
		l, ok := readLine(rd)
		if !ok {
			break
		}
		got = append(got, l)
	}
	if strings.Join(got, "|") != "A1||B2" {
		t.Errorf("lines %q", got)
	}
}

// FuzzSiteToPath: a site name from a client never yields a logfile name
// that could leave flush/.
func FuzzSiteToPath(f *testing.F) {
	for _, s := range []string{"example.com", "bücher.example", "[1.2.3.4]", "../etc", "a\x00b", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, site string) {
		fl := &flusher{log: msg.New()}
		fl.log.SetSinks()
		if path, ok := fl.siteToPath(site); ok && !idOK(path) {
			t.Errorf("%q gives bad logfile name %q", site, path)
		}
	})
}
