package sqlmaps

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// realPostmap is Postfix 3.7.11's postmap.
const realPostmap = "/usr/sbin/postmap"

// login is the connection part of most configurations.
const login = "hosts = unix:@SOCK@\nuser = pf\npassword = secret\ndbname = mail\n"

// A postmapCase runs postmap with args against a table configuration.
type postmapCase struct {
	name string
	cf   string   // the table's configuration file, @SOCK@ @PORT@ @DEAD@ @DIR@ replaced
	main string   // extra main.cf settings
	args []string // postmap arguments; "@TABLE@" is mysql:the file
	// maskErrno hides the errno after "query error:", which the C
	// client library leaves behind depending on timing.
	maskErrno bool
}

func q(key string) []string { return []string{"-q", key, "mysql:@TABLE@"} }

var postmapCases = []postmapCase{
	{name: "found", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("a@example.com")},
	{name: "not-found", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("nobody@example.com")},
	{name: "multi-row", cf: login + "query = SELECT dest FROM aliases WHERE source='%s' ORDER BY prio\n", args: q("multi@example.com")},
	{name: "multi-column", cf: login + "query = SELECT source, dest FROM aliases WHERE source='%s'\nresult_format = <%s>\n", args: q("a@example.com")},
	{name: "quote", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("q'uote@example.com")},
	{name: "backslash", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q(`back\slash@example.com`)},
	{name: "percent-key", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("%s@example.com")},
	{name: "empty-result", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("empty@example.com")},
	{name: "null-result", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("null@example.com")},
	{name: "empty-key", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: q("")},
	{name: "user-domain", cf: login + "query = SELECT maildir FROM users WHERE name='%u' AND domain='%d'\n", args: q("alice@example.com")},
	{name: "domain-less-key", cf: login + "query = SELECT maildir FROM users WHERE name='%u' AND domain='%d'\n", args: q("alice")},
	{name: "empty-user", cf: login + "query = SELECT maildir FROM users WHERE name='%u'\n", args: q("@example.com")},
	{name: "user-only", cf: login + "query = SELECT maildir FROM users WHERE name='%u'\n", args: q("alice")},
	{name: "labels", cf: login + "query = SELECT '%1|%2|%3'\n", args: q("x@sub.deep.example.com")},
	{name: "too-few-labels", cf: login + "query = SELECT '%1|%2|%3'\n", args: q("x@example.com")},
	{name: "empty-labels", cf: login + "query = SELECT '%1|%2'\n", args: q("x@a..b.")},
	{name: "result-format", cf: login + "query = SELECT dest FROM aliases WHERE source='%s' ORDER BY prio\nresult_format = %u at %d for %U at %D (%S) 100%%\n", args: q("multi@example.com")},
	{name: "result-domain-less", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\nresult_format = %d\n", args: q("nodomain@example.com")},
	{name: "result-empty-user", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\nresult_format = %u\n", args: q("atfirst@example.com")},
	{name: "result-key-skipped", cf: login + "query = SELECT 'v@w'\nresult_format = %s %U\n", args: q("@example.com")},
	{name: "expansion-limit", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\nexpansion_limit = 2\n", args: q("multi@example.com"), maskErrno: true},
	{name: "expansion-limit-ok", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\nexpansion_limit = 3\n", args: q("multi@example.com")},
	{name: "domain-list", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\ndomain = example.org, EXAMPLE.com\n", args: q("a@example.com")},
	{name: "domain-list-miss", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\ndomain = example.org\n", args: q("a@example.com")},
	{name: "domain-list-no-at", cf: login + "query = SELECT 'x'\ndomain = example.com\n", args: q("example.com")},
	{name: "domain-list-file", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\ndomain = @DIR@/domains\n", args: q("a@example.com")},
	{name: "legacy-query", cf: login + "table = aliases\nselect_field = dest\nwhere_field = source\nadditional_conditions = AND prio < 3 ORDER BY prio\n", args: q("multi@example.com")},
	{name: "legacy-missing", cf: login + "table = aliases\nselect_field = dest\n", args: q("a@example.com")},
	{name: "no-query", cf: login, args: q("a@example.com")},
	{name: "tcp", cf: "hosts = inet:127.0.0.1:@PORT@\nuser = pf\npassword = secret\ndbname = mail\nquery = SELECT dest FROM aliases WHERE source='%s'\n", args: q("a@example.com")},
	{name: "tcp-short", cf: "hosts = 127.0.0.1:@PORT@\nuser = pf\npassword = secret\ndbname = mail\nquery = SELECT 'ok'\n", args: q("k")},
	{name: "failover", cf: "hosts = unix:@DIR@/nosock, 127.0.0.1:@PORT@\nuser = pf\npassword = secret\ndbname = mail\nquery = SELECT 'ok'\n", args: q("k")},
	{name: "socket-missing", cf: "hosts = unix:@DIR@/nosock\ndbname = mail\nquery = SELECT 1\n", args: q("k")},
	{name: "socket-refused", cf: "hosts = unix:@DIR@/plainfile\ndbname = mail\nquery = SELECT 1\n", args: q("k")},
	{name: "tcp-refused", cf: "hosts = inet:127.0.0.1:@DEAD@\ndbname = mail\nquery = SELECT 1\n", args: q("k")},
	{name: "bad-password", cf: "hosts = unix:@SOCK@\nuser = pf\npassword = wrong\ndbname = mail\nquery = SELECT 1\n", args: q("k"), maskErrno: true},
	{name: "bad-database", cf: "hosts = 127.0.0.1:@PORT@\nuser = pf\npassword = secret\ndbname = nodb\nquery = SELECT 1\n", args: q("k"), maskErrno: true},
	{name: "sql-error", cf: login + "query = SELECT dest FROM nosuch WHERE source='%s'\n", args: q("k"), maskErrno: true},
	{name: "no-result-set", cf: login + "query = DO 1\n", args: q("k"), maskErrno: true},
	{name: "no-result-set-allowed", cf: login + "query = DO 1\nrequire_result_set = no\n", args: q("k")},
	{name: "multi-statement", cf: login + "query = SELECT 1; SELECT 2\n", args: q("k"), maskErrno: true},
	{name: "bad-query-template", cf: login + "query = SELECT '%x'\n", args: q("k")},
	{name: "bad-result-template", cf: login + "query = SELECT 1\nresult_format = %\n", args: q("k")},
	{name: "empty-result-format", cf: login + "query = SELECT 1\nresult_format =\n", args: q("k")},
	{name: "no-dbname", cf: "hosts = unix:@SOCK@\nquery = SELECT 1\n", args: q("k")},
	{name: "bad-limit", cf: login + "query = SELECT 1\nexpansion_limit = 2x\n", args: q("k")},
	{name: "bad-boolean", cf: login + "query = SELECT 1\nrequire_result_set = maybe\n", args: q("k")},
	{name: "bad-line", cf: login + "query = SELECT 1\ngarbage\n", args: q("k")},
	{name: "override", cf: login + "query = SELECT 'first'\nquery = SELECT 'second'\n", args: q("k")},
	{name: "unknown-setting", cf: login + "query = SELECT 'x'\nfrobnicate = yes\n", args: q("k")},
	{name: "continued-line", cf: login + "query = SELECT dest FROM aliases\n  WHERE source='%s'\n# comment\n", args: q("a@example.com")},
	{name: "missing-file", args: []string{"-q", "k", "mysql:@DIR@/missing.cf"}},
	{name: "main-cf-prefix", main: "pf_hosts = unix:@SOCK@\npf_user = pf\npf_password = secret\nmydb = mail\npf_dbname = $mydb\npf_query = SELECT dest FROM aliases WHERE source='%s'\n",
		args: []string{"-q", "a@example.com", "mysql:pf"}},
	{name: "main-cf-prefix-no-dbname", main: "pf_hosts = unix:@SOCK@\n", args: []string{"-q", "a@example.com", "mysql:pf"}},
	{name: "bulk-create", cf: login + "query = SELECT 1\n", args: []string{"mysql:@TABLE@"}},
	{name: "delete", cf: login + "query = SELECT 1\n", args: []string{"-d", "k", "mysql:@TABLE@"}},
	{name: "sequence", cf: login + "query = SELECT 1\n", args: []string{"-s", "mysql:@TABLE@"}},
	{name: "query-stdin", cf: login + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: []string{"-q", "-", "mysql:@TABLE@"}},
	{name: "option-file", cf: "hosts = localhost\ndbname = mail\noption_file = @DIR@/my.cnf\nquery = SELECT CURRENT_USER()\n", args: q("k"), maskErrno: true},
	{name: "option-group", cf: "hosts = localhost\ndbname = mail\noption_file = @DIR@/my.cnf\noption_group = postfix\nquery = SELECT CURRENT_USER()\n", args: q("k")},
	{name: "option-file-missing", cf: "hosts = unix:@SOCK@\nuser = pf\npassword = secret\ndbname = mail\noption_file = @DIR@/none.cnf\nquery = SELECT CURRENT_USER()\n", args: q("k")},
	{name: "tls-preferred", cf: "hosts = 127.0.0.1:@PORT@\nuser = pf\npassword = secret\ndbname = mail\ntls_CAfile = /etc/ssl/certs/ca-certificates.crt\nquery = SELECT 'ok'\n", args: q("k")},
	{name: "tls-required", cf: "hosts = 127.0.0.1:@PORT@\nuser = pf\npassword = secret\ndbname = mail\ntls_verify_cert = yes\nquery = SELECT 'ok'\n", args: q("k"), maskErrno: true},
	{name: "tls-required-socket", cf: login + "tls_verify_cert = yes\nquery = SELECT 'ok'\n", args: q("k"), maskErrno: true},
	{name: "fold", cf: login + "query = SELECT '%s'\n", args: []string{"-f", "-q", "MiXed@Example.COM", "mysql:@TABLE@"}},
}

// stdinKeys feeds postmap -q -.
const stdinKeys = "a@example.com\nnobody@example.com\nmulti@example.com\n"

func TestPostmapDifferential(t *testing.T) {
	s := need(t)
	if err := os.WriteFile(filepath.Join(s.dir, "plainfile"), nil, 0644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, "domains"), []byte("example.net\nexample.com\n"), 0644); err != nil {
		t.Fatal(err)
	}
	// The [client] password is not used: Postfix always passes one.
	myCnf := "[client]\nsocket = " + s.socket + "\nuser = pf\npassword = secret\n[postfix]\nuser = root\n"
	if err := os.WriteFile(filepath.Join(s.dir, "my.cnf"), []byte(myCnf), 0644); err != nil {
		t.Fatal(err)
	}
	runCases(t, postmapCases, "@SOCK@", s.socket, "@PORT@", serverPort, "@DEAD@", deadPort, "@DIR@", s.dir)
}

// runCases runs each case with the real postmap and ours, with the
// placeholders (pairs of text and replacement) and @TABLE@ replaced.
func runCases(t *testing.T, cases []postmapCase, placeholders ...string) {
	ourPostmap := ours.Path(t, "postmap")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The real postmap sleeps a second before a fatal exit:
			// run the cases side by side.
			t.Parallel()
			dir := t.TempDir()
			subst := strings.NewReplacer(append(placeholders, "@TABLE@", dir+"/table.cf")...)
			if err := os.WriteFile(filepath.Join(dir, "main.cf"), []byte("compatibility_level = 3.6\n"+subst.Replace(c.main)), 0644); err != nil {
				t.Fatal(err)
			}
			if c.cf != "" {
				if err := os.WriteFile(filepath.Join(dir, "table.cf"), []byte(subst.Replace(c.cf)), 0644); err != nil {
					t.Fatal(err)
				}
			}
			// Postfix rereads a file modified within the last second
			// ("let it cool down"): date them back to keep it fast.
			past := time.Now().Add(-time.Hour)
			for _, f := range []string{"main.cf", "table.cf"} {
				os.Chtimes(filepath.Join(dir, f), past, past)
			}
			args := []string{"-c", dir}
			for _, a := range c.args {
				args = append(args, subst.Replace(a))
			}
			want := runPostmap(t, realPostmap, args, c.maskErrno)
			got := runPostmap(t, ourPostmap, args, c.maskErrno)
			if got != want {
				t.Errorf("postmap %s\nours:\n%s\nreal:\n%s", strings.Join(args, " "), got, want)
			}
		})
	}
}

var errnoText = regexp.MustCompile(`(query error: ).*`)

// runPostmap runs one postmap and returns its exit status, standard
// output and standard error in one text.
func runPostmap(t *testing.T, prog string, args []string, maskErrno bool) string {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Stdin = strings.NewReader(stdinKeys)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %v: timed out", prog, args)
	}
	status := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	errText := stderr.String()
	if maskErrno {
		errText = errnoText.ReplaceAllString(errText, "${1}ERRNO")
	}
	return "exit " + string(rune('0'+status)) + "\n--- stdout\n" + stdout.String() + "--- stderr\n" + errText
}
