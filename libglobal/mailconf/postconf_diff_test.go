package mailconf

import (
	"bytes"
	"errors"
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
	dirs := make([]string, len(diffCases))
	real := make([]postconfResult, len(diffCases))
	for i, tc := range diffCases {
		dirs[i] = t.TempDir()
		write(t, filepath.Join(dirs[i], "main.cf"), "smtpd_restriction_classes = t1, t2, t3\n"+tc.mainCF)
		write(t, filepath.Join(dirs[i], "master.cf"), "")
	}
	// A failing postconf sleeps a second before it exits: run them side
	// by side.
	concurrently(len(diffCases), func(i int) { real[i] = runPostconf(dirs[i], diffCases[i].names) })
	for i, tc := range diffCases {
		if real[i].err != nil {
			t.Fatalf("real postconf (Postfix 3.7.11 must be installed): %v", real[i].err)
		}
		diffOne(t, h, dirs[i], tc.mainCF, tc.names, real[i])
	}
}

// diffOne compares one snippet: real postconf -x output and diagnostics
// against Expand with the same warnings logged.
func diffOne(t *testing.T, h *params.Host, dir, snippet string, names []string, real postconfResult) {
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
	if out.String() != real.stdout || rc != real.rc {
		t.Errorf("main.cf %q, names %v:\nreal (rc %d):\n%sours (rc %d):\n%s", snippet, names, real.rc, real.stdout, rc, out.String())
	}
	if got := lineSet(capture.String()); got != real.stderr {
		t.Errorf("main.cf %q: diagnostics differ:\nreal:\n%sours:\n%s", snippet, real.stderr, got)
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

// postconfResult is what the real postconf did: stdout, stderr without
// the lines about unused/undefined names (postconf's own analysis) and
// without "postconf: " prefixes, as a sorted set (postconf repeats
// warnings), and the exit status.
type postconfResult struct {
	stdout, stderr string
	rc             int
	err            error
}

func runPostconf(dir string, names []string) postconfResult {
	cmd := exec.Command("/usr/sbin/postconf", append([]string{"-c", dir, "-x"}, names...)...)
	cmd.Args[0] = "postconf"
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var r postconfResult
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.rc = exit.ExitCode()
	case err != nil:
		return postconfResult{err: err}
	}
	var kept []string
	for _, l := range strings.Split(e.String(), "\n") {
		if l == "" || strings.Contains(l, ": unused parameter: ") || strings.Contains(l, ": undefined parameter: ") {
			continue
		}
		kept = append(kept, strings.TrimPrefix(l, "postconf: "))
	}
	r.stdout, r.stderr = o.String(), lineSet(strings.Join(kept, "\n"))
	return r
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
