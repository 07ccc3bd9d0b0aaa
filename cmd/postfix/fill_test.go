package main

import (
	"math/rand"
	"os/exec"
	"strings"
	"testing"
)

// TestFillAgainstFmt compares fill with the system's GNU fmt, the program
// post-install pipes its notices through, on the notices themselves and
// on random paragraphs.
func TestFillAgainstFmt(t *testing.T) {
	fmtPath, err := exec.LookPath("fmt")
	if err != nil {
		t.Fatalf("fmt(1) is needed as the reference: %v", err)
	}
	inputs := []string{
		"",
		"\n\n",
		"one\n",
		"  \t  \n",
		"a. b\n",
		"    COMPATIBILITY: editing /etc/postfix/main.cf, setting\n    inet_protocols=ipv4.  Specify inet_protocols explicitly if you\n    want to enable IPv6.\n    In a future release IPv6 will be enabled by default.\n",
		"\n    Note: the following files or directories still exist but are\n    no longer part of Postfix:\n\n     /etc/postfix/postfix-script /usr/share/man/man8/nqmgr.8postfix.gz\n\n",
		"\tTabbed text that is long enough to need a break somewhere in the middle of it, really.\n\tSecond line (with a parenthesis) and \"quotes\".\n",
		"x " + strings.Repeat("averyveryverylongwordthatdoesnotfit", 3) + " y\n",
		"indent 0\n  indent 2 starts a new paragraph\n  still two\nzero again\n",
		"no newline at the end",
	}
	rng := rand.New(rand.NewSource(1))
	words := []string{"a", "to", "the", "Postfix", "main.cf,", "(see", "below)", "e.g.", "end.", "What?", "yes!", "/var/spool/postfix/maildrop", "x:", "\"q\"", "it's", "'s'"}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		indent := strings.Repeat(" ", rng.Intn(6))
		for l := 0; l < 1+rng.Intn(6); l++ {
			b.WriteString(indent)
			for w := 0; w < 1+rng.Intn(14); w++ {
				if w > 0 {
					b.WriteString(strings.Repeat(" ", 1+rng.Intn(2)))
				}
				b.WriteString(words[rng.Intn(len(words))])
			}
			b.WriteString("\n")
			if rng.Intn(5) == 0 {
				b.WriteString("\n")
			}
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		cmd := exec.Command(fmtPath)
		cmd.Stdin = strings.NewReader(in)
		cmd.Env = []string{"LC_ALL=C"}
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("fmt: %v", err)
		}
		if got := fill(in); got != string(want) {
			t.Errorf("fill(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
