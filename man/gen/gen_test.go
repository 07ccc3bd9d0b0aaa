package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPagesUpToDate checks that the committed pages in man/ are exactly
// what the generator makes from the current doc comments and parameter
// table, so that they never go stale.
func TestPagesUpToDate(t *testing.T) {
	want, err := pages("../..")
	if err != nil {
		t.Fatal(err)
	}
	for name, page := range want {
		got, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Errorf("man/%s is missing; run make man", name)
			continue
		}
		if !bytes.Equal(got, page) {
			t.Errorf("man/%s differs from its source; run make man", name)
		}
	}
	have, err := existingPages("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range have {
		if _, ok := want[name]; !ok {
			t.Errorf("man/%s has no source any more; run make man", name)
		}
	}
}

// TestPagesFormat runs every page through groff with all warnings
// enabled, at the line length man(1) uses on an 80-column terminal, and
// checks that each ".so" page points at a page that exists.
func TestPagesFormat(t *testing.T) {
	ps, err := pages("../..")
	if err != nil {
		t.Fatal(err)
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Fatalf("groff is needed to check the pages: %v", err)
	}
	so := regexp.MustCompile(`^\.so man([158])/(\S+)\n$`)
	for name, page := range ps {
		if m := so.FindSubmatch(page); m != nil {
			if _, ok := ps[string(m[2])]; !ok || !strings.HasSuffix(string(m[2]), "."+string(m[1])) {
				t.Errorf("%s: .so to a page that is not generated: %s", name, m[2])
			}
			continue
		}
		cmd := exec.Command(groff, "-man", "-ww", "-z", "-Tutf8", "-rLL=78n")
		cmd.Stdin = bytes.NewReader(page)
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("%s: groff: %v: %s", name, err, out)
		}
	}
}

// TestDemoPages generates the pages of the programs in testdata/root and
// checks how each feature of the doc comment convention is rendered.
func TestDemoPages(t *testing.T) {
	progs, err := loadPrograms("testdata/root")
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) != 2 || progs[0].Name != "demo" || progs[1].Name != "postkick" {
		t.Fatalf("programs: %+v", progs)
	}
	demo, cmd := progs[0], progs[1]
	if demo.Section != 8 || !demo.daemon() || cmd.Section != 1 || cmd.daemon() || cmd.Optstr != "+c:lv" {
		t.Fatalf("demo %+v, postkick %+v", demo, cmd)
	}
	if got := strings.Join(demo.Params, " "); got != "queue_directory" {
		t.Errorf("parameters in demo's code: %q", got)
	}
	tests := []struct {
		prog  *program
		lines []string // in this order, each a whole line of the page
	}{
		{demo, []string{
			`.TH DEMO 8 "" "gopostfix" "System Manager's Manual"`,
			`.nh`,
			`.ad l`,
			`.SH NAME`,
			`demo \- test daemon`,
			`.SH SYNOPSIS`,
			`\fBdemo\fR [\fIgeneric daemon options\fR]`,
			`.SH DESCRIPTION`,
			`\fBdemo\fR is a test daemon (\fBdemo\fR(8)): it exercises every feature of the`,
			`page generator. It reads \fBfast_flush_domains\fR and mentions`,
			`\fBmyhostname\fR.`,
			`.PP`,
			`A second paragraph with an option \-v, a path .forward and a page reference`,
			`\fBpostconf\fR(1).`,
			`.IP \(bu 4`,
			`first item`,
			`.IP \(bu 4`,
			`second item`,
			`.PP`,
			`Verbatim text:`,
			`.PP`,
			`.RS 4`,
			`.nf`,
			`\&.starts with a dot`,
			`back\eslash`,
			`.fi`,
			`.RE`,
			`.SH "DIFFERENCES FROM POSTFIX"`,
			`None worth naming.`,
			`.SH "GENERIC DAEMON OPTIONS"`,
			`\fB\-o\fR \fIname=value\fR`,
			`.SH DIAGNOSTICS`,
			`.SH "CONFIGURATION PARAMETERS"`,
			`.TP`,
			`\fBtrigger_timeout\fR (default: \fI10s\fR)`,
			`How long a trigger may take.`,
			`.IP`,
			`A second paragraph.`,
			`.TP`,
			`\fInot_a_parameter\fR`,
			`Free text.`,
			`Other parameters that the program reads or that this page names, with their`,
			`.RS 4`,
			`\fBfast_flush_domains\fR = \fI$relay_domains\fR`,
			`.br`,
			`\fBmyhostname\fR = \fIcomputed at run time\fR`,
			`.br`,
			`\fBqueue_directory\fR = \fI/\:var/\:spool/\:postfix\fR`,
			`.RE`,
			`.SH "SEE ALSO"`,
			`\fBpostconf\fR(1), \fBpostconf\fR(5), \fBmaster\fR(8)`,
		}},
		{cmd, []string{
			`.TH POSTKICK 1 "" "gopostfix" "User Commands"`,
			`postkick \- shows a test command`,
			`.SH SYNOPSIS`,
			`.in +4n`,
			`.ti -4n`,
			`\fBpostkick\fR [\fB\-lv\fR] [\fB\-c\fR\~\fIconfig_dir\fR] [\fImap_type:\fR]\fIfile\fR ...`,
			`.ti -4n`,
			`\fBpostkick\fR \fB\-q\fR \fIkey\fR [\fIfile\fR]`,
			`.in -4n`,
			`.SH DESCRIPTION`,
			`\fBpostkick\fR shows a test command, as its page says. More text.`,
			`.SH OPTIONS`,
			`.TP`,
			`\fB\-c\fR \fIconfig_dir\fR`,
			`Read main.cf from config_dir.`,
			`.TP`,
			`\fB\-l\fR`,
			`List.`,
			`.SH "CONFIGURATION PARAMETERS"`,
			`The program reads no main.cf parameters of its own; \fBpostconf\fR(5) lists`,
			`.SH "SEE ALSO"`,
			`Nothing else.`,
		}},
	}
	for _, tc := range tests {
		got := strings.Split(page(tc.prog, progs), "\n")
		i := 0
		for _, want := range tc.lines {
			for i < len(got) && got[i] != want {
				i++
			}
			if i == len(got) {
				t.Errorf("%s: line %q missing or out of order in:\n%s", tc.prog.Name, want, strings.Join(got, "\n"))
				break
			}
		}
	}
	// Without a Synopsis section a command's synopsis comes from getopt.
	cmd.Doc = "Command postkick does it."
	if !strings.Contains(page(cmd, progs), "\n"+`\fBpostkick\fR [\fB\-lv\fR] [\fB\-c\fR\~\fIconfig_dir\fR]`+"\n") {
		t.Errorf("getopt synopsis missing:\n%s", page(cmd, progs))
	}
}
