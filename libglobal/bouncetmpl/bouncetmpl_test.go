package bouncetmpl

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// envFor is the test instance of the golden vectors: myhostname
// mx.delivspec.example, delay_warning_time 1m, maximal_queue_lifetime 4m.
func envFor(vals map[string]string, delay, maxq int) Env {
	return Env{Lookup: func(n string) (string, bool) { v, ok := vals[n]; return v, ok },
		DelayWarningTime: delay, MaxQueueLifetime: maxq, SMTPUTF8: true}
}

func TestGoldenDump(t *testing.T) {
	want, err := os.ReadFile("testdata/bounce-templates-default.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	New(envFor(nil, 0, 0), msg.Discard()).Dump(&out)
	if out.String() != string(want) {
		t.Errorf("dump:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestGoldenExpand(t *testing.T) {
	raw, err := os.ReadFile("testdata/bounce-templates-expanded.txt")
	if err != nil {
		t.Fatal(err)
	}
	var wantErr, wantOut strings.Builder
	for _, l := range strings.SplitAfter(string(raw), "\n") {
		if strings.HasPrefix(l, "postfix/bounce: ") {
			wantErr.WriteString(strings.TrimPrefix(l, "postfix/bounce: "))
		} else {
			wantOut.WriteString(l)
		}
	}
	var cap msg.Capture
	var out strings.Builder
	s := New(envFor(map[string]string{"myhostname": "mx.delivspec.example"}, 60, 240), msg.New(&cap))
	if err := s.ExpandAll(&out); err != nil {
		t.Fatal(err)
	}
	if out.String() != wantOut.String() {
		t.Errorf("expanded:\n%s\nwant:\n%s", out.String(), wantOut.String())
	}
	if cap.String() != wantErr.String() {
		t.Errorf("warnings:\n%s\nwant:\n%s", cap.String(), wantErr.String())
	}
}

// TestAgainstRealBounce loads template files into ours and into the
// real bounce(8) ("bounce -SVndump_templates" and expand_templates, as
// postconf -t/-b run it) and compares output and warnings.
func TestAgainstRealBounce(t *testing.T) {
	const real = "/usr/lib/postfix/sbin/bounce"
	if _, err := os.Stat(real); err != nil {
		t.Fatalf("real Postfix bounce(8) is needed: %v", err)
	}
	files := map[string]string{
		"good": "failure_template = <<EOF\nCharset: iso-8859-1\nFrom: Postmaster <postmaster>\nSubject: gone\nPostmaster-Subject: pm gone\n\n\n \nline $myhostname é\n  indented\nEOF\n" +
			"# comment\n\n   \nverify_template = <<END\nSubject: v\n\nvtext $delay_warning_time_minutes $maximal_queue_lifetime_weeks\nEND\n",
		"bad": "failure_template = <<EOF\nSubject: x $myhostname\nBogus: y\n\nbody $mydomain\nEOF\ndelay_template = <<EOF\nCharset: us-ascii\n\nnon-ascii \xc3\xa9\nEOF\n" +
			"success_template = <<EOF\nFrom: a\n\n\n  \nEOF\nfoo_template = x\nverify_template = <<EOF\nPostmaster-Subject: z\n\nhi $delay_warning_time_hours\n",
		"headers": "delay_template = Subject:\nsuccess_template = <<X\nFrom  :: a b\nSubject: \xc3\xa9\n\nx\nX\nverify_template = <<Y\nFrom: a\nY",
		"oneline": "failure_template = just one line\nsuccess_template = Subject: s",
	}
	for name, text := range files {
		dir := t.TempDir()
		path := filepath.Join(dir, "tmpl")
		os.WriteFile(path, []byte(text), 0644)
		// Postfix reads a file again while it is "hot" (changed in the
		// last second or so); we do not.
		old := time.Now().Add(-time.Hour)
		os.Chtimes(path, old, old)
		os.WriteFile(filepath.Join(dir, "main.cf"), []byte("compatibility_level = 3.6\nmyhostname = mx.example\n"+
			"delay_warning_time = 3h\nmaximal_queue_lifetime = 2d\n"), 0644)
		for _, svc := range []string{"dump_templates", "expand_templates"} {
			cmd := exec.Command(real, "-SVn"+svc, "-o", "bounce_template_file="+path, "-o", "queue_directory="+dir)
			cmd.Env = append(os.Environ(), "MAIL_CONFIG="+dir)
			var rout, rerr strings.Builder
			cmd.Stdout, cmd.Stderr = &rout, &rerr
			cmd.Run()
			var cap msg.Capture
			s := New(envFor(map[string]string{"myhostname": "mx.example", "mydomain": "example"}, 3*3600, 2*86400), msg.New(&cap))
			f, _ := os.Open(path)
			err := s.Load(f, path)
			f.Close()
			var out strings.Builder
			if err == nil {
				if svc == "dump_templates" {
					err = s.Dump(&out)
				} else {
					err = s.ExpandAll(&out)
				}
			}
			gotErr := cap.String()
			if err != nil {
				gotErr += "fatal: " + err.Error() + "\n"
				out.Reset()
			}
			wantErr := strings.ReplaceAll(rerr.String(), "postfix/bounce: ", "")
			if out.String() != rout.String() || gotErr != wantErr {
				t.Errorf("%s %s:\nours:\n%s%s\nreal:\n%s%s", name, svc, out.String(), gotErr, rout.String(), wantErr)
			}
		}
	}
}
