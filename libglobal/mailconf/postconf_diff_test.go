package mailconf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/msg"
)

// diffCases are main.cf snippets; t1..t3 are made user-defined (and so
// queryable) through smtpd_restriction_classes.
var diffCases = []struct {
	mainCF string
	names  []string
}{
	{"t1 = $myhostname:$mydomain\n", []string{"t1", "myorigin", "mydestination", "smtpd_banner"}},
	{"mydomain = example.com\nt1 = $myhostname/$mydomain\n", []string{"t1", "myhostname", "mydestination"}},
	{"myhostname = mx.example.net\n", []string{"mydomain", "myorigin", "smtpd_banner"}},
	{"t1 = ${t2?{set}:{unset}} ${t3:empty} [${t2? x }]\nt2 = v\nt3 =\n", []string{"t1"}},
	{"t1 = ${{$t2} == {v} ? {eq} : {ne}} ${{$t2}!={v}} [${{10}<{9}}] [${{10}>{9}}] [${{b}>{a}}]\nt2 = v\n", []string{"t1"}},
	{"t1 = ${{$compatibility_level} <level {3.6} ? {old} : {new}} ${{3.10} >level {3.9}?{y}}\n", []string{"t1"}},
	{"compatibility_level = 3.6\nt1 = ${{$compatibility_level} <level {3.6} ? {old} : {new}}\n", []string{"t1", "smtputf8_enable", "mynetworks_style", "relay_domains", "append_dot_mydomain"}},
	{"compatibility_level = 2\n", []string{"mynetworks_style", "mynetworks", "relay_domains", "smtpd_relay_before_recipient_restrictions"}},
	{"mynetworks_style = class\n", []string{"mynetworks"}},
	{"mynetworks_style = host\ninet_interfaces = loopback-only\n", []string{"mynetworks"}},
	{"inet_protocols = ipv4\nmynetworks_style = subnet\n", []string{"mynetworks"}},
	{"t1 = a$$b $$t2 $t2$t2 ${t2}x $(t2)y\nt2 = [$$]\n", []string{"t1"}},
	{"t1 = ${t2?{a {b} c}:{d}} ${t3?{x}:y:z}\nt2 = 1\n", []string{"t1"}},
	{"t1 = ${t2??x:{b}y}\nt2 = 1\n", []string{"t1"}},
	{"t1 =   spaced    out\n   continued  \n", []string{"t1"}},
	{"t1 = $t2\nt2 = $t3\nt3 = deep $mail_name\n", []string{"t1"}},
	{"mailbox_command = /bin/x $recipient\nforward_path = $home/.f\n", []string{"mailbox_command", "forward_path", "smtpd_expansion_filter"}},
	{"queue_directory = /q\nt1 = $queue_directory/$process_name\n", []string{"t1", "queue_directory", "data_directory", "address_verify_map"}},
	{"t1 = ${t2}\n", []string{"t1"}},
	// Failing expansions: the warnings and "fatal: macro processing error".
	{"t1 = ${t2\n", []string{"t1"}},
	{"t1 = a$\n", []string{"t1"}},
	{"t1 = ${t2 x}\n", []string{"t1"}},
	{"t1 = ${{a} ~~ {b}?{x}}\n", []string{"t1"}},
	{"t1 = ${{a}==b?{x}}\n", []string{"t1"}},
	{"t1 = ${{a}=={b} x}\n", []string{"t1"}},
	{"t1 = ${{a}=={b}?{x}y}\n", []string{"t1"}},
	{"t1 = ${t2:{x}:{y}}\n", []string{"t1"}},
	{"t1 = ${{x} <level {1}?{a}}\n", []string{"t1"}},
	{"t1 = $t2\nt2 = $t1\n", []string{"t1"}},
	{"compatibility_level = bogus\n", []string{"smtputf8_enable"}},
}

// TestExpansionMatchesPostconf runs the real "postconf -x" on each snippet
// and compares its output and diagnostics with Expand.
func TestExpansionMatchesPostconf(t *testing.T) {
	h, err := params.LocalHost()
	if err != nil {
		t.Fatal(err)
	}
	h.ProcName = "postconf"
	for i, tc := range diffCases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			// Failing real postconf runs sleep a second before exiting.
			t.Parallel()
			diffOne(t, h, tc.mainCF, tc.names)
		})
	}
}

// diffOne compares one snippet: real postconf -x output and diagnostics
// against Expand with the same warnings logged.
func diffOne(t *testing.T, h *params.Host, snippet string, names []string) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.cf"), "smtpd_restriction_classes = t1, t2, t3\n"+snippet)
	write(t, filepath.Join(dir, "master.cf"), "")
	realOut, realErr, realRC := runPostconf(t, dir, names)

	capture := &msg.Capture{}
	c, err := Load(dir, msg.New(capture))
	if err != nil {
		t.Fatal(err)
	}
	c.SetHost(h)
	var out strings.Builder
	rc := 0
	for _, name := range names {
		v, err := expandForDisplay(c, name)
		var ee *ExpandError
		if errors.As(err, &ee) {
			capture.Lines = append(capture.Lines, "fatal: macro processing error")
			rc = 1
			break
		}
		if err != nil {
			t.Fatalf("%q %s: %v", snippet, name, err)
		}
		out.WriteString(formatLine(name, v))
	}
	if out.String() != realOut || rc != realRC {
		t.Errorf("main.cf %q, names %v:\nreal (rc %d):\n%sours (rc %d):\n%s", snippet, names, realRC, realOut, rc, out.String())
	}
	if got := lineSet(capture.String()); got != realErr {
		t.Errorf("main.cf %q: diagnostics differ:\nreal:\n%sours:\n%s", snippet, realErr, got)
	}
}

// write creates a file dated a minute ago: Postfix reads a main.cf that
// changed within the last second again and again until it settles.
func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, past, past); err != nil {
		t.Fatal(err)
	}
}

// runPostconf runs the real postconf -x; stderr comes back without the
// lines about unused/undefined names (postconf's own analysis), without
// "postconf: " prefixes, as a sorted set (postconf repeats warnings).
func runPostconf(t *testing.T, dir string, names []string) (stdout, stderr string, rc int) {
	t.Helper()
	cmd := exec.Command("/usr/sbin/postconf", append([]string{"-c", dir, "-x"}, names...)...)
	cmd.Args[0] = "postconf"
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		rc = exit.ExitCode()
	case err != nil:
		t.Fatalf("real postconf (Postfix 3.7.11 must be installed): %v", err)
	}
	var kept []string
	for _, l := range strings.Split(e.String(), "\n") {
		if l == "" || strings.Contains(l, ": unused parameter: ") || strings.Contains(l, ": undefined parameter: ") {
			continue
		}
		kept = append(kept, strings.TrimPrefix(l, "postconf: "))
	}
	return o.String(), lineSet(strings.Join(kept, "\n")), rc
}

// expandForDisplay is what postconf -x shows for a name.
func expandForDisplay(c *Config, name string) (string, error) {
	raw, _ := c.Raw(name)
	if p, ok := params.Lookup(name); ok && p.Raw {
		return raw, nil
	}
	return c.Expand(raw)
}

// formatLine prints "name = value" with the value's words joined by one
// space, as postconf prints.
func formatLine(name, value string) string {
	if words := strings.Fields(value); len(words) > 0 {
		return name + " = " + strings.Join(words, " ") + "\n"
	}
	return name + " =\n"
}

// lineSet returns the distinct non-empty lines of s, sorted.
func lineSet(s string) string {
	seen := map[string]bool{}
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
