package smtpd

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"gopostfix/tests/internal/nsdns"
)

// TestDifferentialDialogues replays every script of testdata/dialogues
// against the real smtpd and ours (same main.cf, same -o overrides) and
// compares each reply line with the script and with each other, queue
// IDs masked, then the two smtpds' log lines of the session.
//
// SMTPD_DIALOGUE_UPDATE=1 rewrites the scripts' expected lines from what
// the real smtpd answers (for new scripts).
func TestDifferentialDialogues(t *testing.T) {
	files, _ := filepath.Glob("testdata/dialogues/*.txt")
	if len(files) < 100 {
		t.Fatalf("only %d dialogue scripts", len(files))
	}
	sort.Strings(files)
	bin := ourBinaries(t)
	startPolicyServer(t, "127.0.0.1:23099")
	startFakeDovecot(t, "127.0.0.1:23098")
	dns := nsdns.StartT(t, dnsRecords)
	in := newInstance(t, diffMainCF, profileMasterCF(), map[string]string{"gosmtpd": filepath.Join(bin, "smtpd"),
		"dnssmtpd":   dns.Wrapper(t, filepath.Join(realDaemonDir, "smtpd"), "smtpd"),
		"dnsgosmtpd": dns.Wrapper(t, filepath.Join(bin, "smtpd"), "gosmtpd")}, profileFiles)
	if out, err := in.run("/usr/sbin/postmap", "-c", in.path("etc"), "hash:"+in.path("etc/sender")); err != nil {
		t.Fatalf("postmap: %v\n%s", err, out)
	}
	startFakeVerify(t, in.path("queue/private/vfake"))
	update := os.Getenv("SMTPD_DIALOGUE_UPDATE") != ""
	for _, f := range files {
		sc, err := parseScript(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			if update {
				updateScript(t, in, sc)
				return
			}
			compareScript(t, in, sc)
		})
	}
}

// compareScript runs one script on both sides.
func compareScript(t *testing.T, in *instance, sc *script) {
	realAddr, ourAddr, err := profileAddrs(sc.profile)
	if err != nil {
		t.Fatal(err)
	}
	w := newLogWatch(in.path("log/maillog"))
	var real, ours transcript
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); real = runSession(sc, realAddr, false) }()
	go func() { defer wg.Done(); ours = runSession(sc, ourAddr, false) }()
	wg.Wait()
	var want []scriptStep
	for _, st := range sc.steps {
		if !st.client {
			want = append(want, st)
		}
	}
	check := func(side string, tr transcript) {
		if tr.err != nil {
			t.Errorf("%s: %v (after %d lines)", side, tr.err, len(tr.replies))
		}
		for i, st := range want {
			got := "<nothing>"
			if i < len(tr.replies) {
				got = tr.replies[i]
			}
			if mask(got) != mask(st.data) {
				t.Errorf("%s:%d: %s smtpd answered\n\t%q\nwant\t%q", sc.path, st.line, side, got, st.data)
			}
		}
	}
	check("real", real)
	check("our", ours)
	realLog, ourLog := w.lines("smtpd"), w.lines("gosmtpd")
	if sc.nolog {
		return
	}
	if a, b := maskAll(realLog), maskAll(ourLog); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("%s: log lines differ\n--- real\n%s\n--- ours\n%s", sc.path, strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

func maskAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = mask(l)
	}
	return out
}

// updateScript rewrites the expected lines of a script from the real
// smtpd's answers.
func updateScript(t *testing.T, in *instance, sc *script) {
	realAddr, _, err := profileAddrs(sc.profile)
	if err != nil {
		t.Fatal(err)
	}
	w := newLogWatch(in.path("log/maillog"))
	tr := runSession(sc, realAddr, true)
	if tr.err != nil {
		t.Fatalf("real smtpd: %v", tr.err)
	}
	if len(tr.replies) == 0 {
		t.Fatalf("real smtpd: no reply; its log:\n%s", strings.Join(w.lines("smtpd"), "\n"))
	}
	// Keep directives, comments and client lines; put the greeting
	// before the first client line and each block's replies behind it.
	var out []string
	g := 0
	emit := func() {
		if g < len(tr.groups) {
			for _, r := range tr.groups[g] {
				out = append(out, "S: "+r)
			}
		}
		g++
	}
	inClient := false
	for _, l := range sc.lines {
		if strings.HasPrefix(l, "S: ") {
			if inClient {
				emit()
			}
			inClient = false
			continue
		}
		isClient := strings.HasPrefix(l, "C:") || strings.HasPrefix(l, "R: ")
		if isClient && !inClient && g == 0 {
			emit()
		}
		if !isClient && inClient {
			emit()
		}
		inClient = isClient
		out = append(out, l)
	}
	if inClient {
		emit()
	}
	if err := os.WriteFile(sc.path, []byte(strings.Join(out, "\n")+"\n"), 0644); err != nil {
		t.Fatal(err)
	}
}
