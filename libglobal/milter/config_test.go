package milter

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func TestParseNames(t *testing.T) {
	base := Config{ConnTimeout: 30 * time.Second, CmdTimeout: 30 * time.Second, MsgTimeout: 300 * time.Second,
		Protocol: "6", DefaultAction: "tempfail"}
	for _, c := range []struct{ names, want, err string }{
		{"", "", ""},
		{"inet:127.0.0.1:1, unix:/x", "inet:127.0.0.1:1 30s 30s 5m0s 6 tempfail|unix:/x 30s 30s 5m0s 6 tempfail", ""},
		{"{ inet:h:1, connect_timeout=10s, command_timeout=2m default_action=accept, protocol=2 } unix:/y",
			"inet:h:1 10s 2m0s 5m0s 2 accept|unix:/y 30s 30s 5m0s 6 tempfail", ""},
		{"{unix:/z {content_timeout = 1h}}", "unix:/z 30s 30s 1h0m0s 6 tempfail", ""},
		{"{ }", "", `empty milter definition: "{ }"`},
		{"{ unix:/z", "", `milter service syntax error: missing '}' in "{ unix:/z"`},
		{"{ unix:/z, bogus=1 }", "", `unknown option: "bogus = 1"`},
		{"{ unix:/z, connect_timeout=x }", "", "connect_timeout: bad time value or unit: x"},
		{"{ unix:/z, connect_timeout=0 }", "", "invalid connect_timeout parameter value 0 < 1"},
		{"{ unix:/z, protocol }", "", `malformed option: missing '=' after attribute name: "...protocol..."`},
	} {
		cfg := base
		cfg.Names = c.names
		specs, err := parseNames(&cfg)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %s", c.names, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.names, err)
			continue
		}
		var got []string
		for _, s := range specs {
			got = append(got, fmt.Sprintf("%s %v %v %v %s %s", s.name, s.conn, s.cmd, s.msg, s.protocol, s.defaultAction))
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.names, g, c.want)
		}
	}
}

func TestParseMacroDefaults(t *testing.T) {
	for _, c := range []struct{ text, want, warn, err string }{
		{"", "", "", ""},
		{"a=1, {b}=2 { c = x y } {{d} = 4}", "{a}=1 {b}=2 {c}=x y {d}=4", "", ""},
		{"a=1 a=2", "{a}=1", `test: warning: ignoring multiple default macro entries for {a} in "a=1 a=2"`, ""},
		{"a", "", "", `malformed default macro entry: missing '=' after attribute name in "a"`},
		{"{a=1", "", "", `malformed default macro entry: missing '}' in "{a=1" in "{a=1"`},
	} {
		var buf bytes.Buffer
		d, err := parseMacroDefaults(c.text, msg.New(msg.NewWriterSink("test", &buf)))
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %s", c.text, err, c.err)
			}
			continue
		}
		var parts []string
		for _, x := range d {
			parts = append(parts, x.name+"="+x.value)
		}
		if g := strings.Join(parts, " "); g != c.want || strings.TrimSpace(buf.String()) != c.warn {
			t.Errorf("%q: got %q warn %q, want %q warn %q", c.text, g, buf.String(), c.want, c.warn)
		}
	}
}

func TestReplyTextHelpers(t *testing.T) {
	for in, want := range map[string]string{"a%%b": "a%b", "a%b": "ab", "end%": "end", "%%%%": "%%"} {
		if got := string(percentUnescape([]byte(in))); got != want {
			t.Errorf("percentUnescape(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"550 5.7.1 x":                "450 4.7.1 x",
		"550-5.7.1 a\r\n550 5.7.1 b": "450-4.7.1 a\r\n450 4.7.1 b",
		"554 x":                      "454 x",
		"451 4.7.1 x":                "451 4.7.1 x",
	} {
		if got := string(softBounce([]byte(in))); got != want {
			t.Errorf("softBounce(%q) = %q, want %q", in, got, want)
		}
	}
}
