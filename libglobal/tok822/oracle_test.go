package tok822

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// esc writes bytes the way the oracle harness does.
func esc(label, s string) string {
	var b strings.Builder
	b.WriteString(label + ": ")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '\\' {
			fmt.Fprintf(&b, "\\x%02x", c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// oracleDump is Dump with the token text escaped as the harness does.
func oracleDump(tree *Token, indent int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", indent)
	for t := tree; t != nil; t = t.Next {
		switch {
		case t.Type < MinTok:
			fmt.Fprintf(&b, "%s OP \"%c\"\n", pad, byte(t.Type))
		case t.Type == Addr:
			fmt.Fprintf(&b, "%s address\n", pad)
			b.WriteString(oracleDump(t.Head, indent+2))
		case t.Type == StartGroup:
			fmt.Fprintf(&b, "%s group \":\"\n", pad)
		default:
			b.WriteString(pad + " " + typeName(t.Type) + " " + esc("text", t.Text))
		}
	}
	return b.String()
}

// render produces, for one input, the same report as the oracle harness.
func render(in string) string {
	var b strings.Builder
	capture := &msg.Capture{}
	log := msg.New(capture)
	tree := Parse(in)
	b.WriteString("parse:\n" + oracleDump(tree, 0))
	b.WriteString(esc("internal", Internalize(tree, 0)))
	b.WriteString(esc("internal-line", Internalize(tree, Line)))
	b.WriteString(esc("external", Externalize(tree, 0, log)))
	ext := Externalize(tree, Truncate, log)
	for _, line := range strings.Split(strings.TrimRight(capture.String(), "\n"), "\n") {
		if line != "" {
			b.WriteString("harness: " + line + "\n")
		}
	}
	b.WriteString(esc("external-trnc", ext))
	capture2 := &msg.Capture{}
	head := Externalize(tree, Line|Truncate, msg.New(capture2))
	for _, line := range strings.Split(strings.TrimRight(capture2.String(), "\n"), "\n") {
		if line != "" {
			b.WriteString("harness: " + line + "\n")
		}
	}
	b.WriteString(esc("external-head", head))
	b.WriteString("parse-limit5:\n" + oracleDump(ParseLimit(in, 5), 0))
	a := ScanAddr(in)
	b.WriteString("scan-addr:\n" + oracleDump(a.Head, 0))
	b.WriteString(esc("scan-internal", Internalize(a.Head, 0)))
	b.WriteString(esc("scan-external", Externalize(a.Head, 0, nil)))
	b.WriteString(esc("quote-default", QuoteLocal(in, QuoteDefault)))
	b.WriteString(esc("quote-none", QuoteLocal(in, 0)))
	b.WriteString(esc("quote-expose-at", QuoteLocal(in, Quote8BitClean|QuoteExposeAt)))
	b.WriteString(esc("quote-bare", QuoteLocal(in, Quote8BitClean|QuoteBareLocalpart)))
	b.WriteString(esc("unquote", UnquoteLocal(in)))
	return b.String()
}

func TestOracle(t *testing.T) {
	data, err := os.ReadFile("testdata/oracle.golden")
	if err != nil {
		t.Fatal(err)
	}
	cases := strings.Split(string(data), "=== ")[1:]
	if len(cases) < 100 {
		t.Fatalf("only %d oracle cases", len(cases))
	}
	for _, c := range cases {
		nl := strings.IndexByte(c, '\n')
		hexIn, want := c[:nl], c[nl+1:]
		in, err := hex.DecodeString(hexIn)
		if err != nil {
			t.Fatalf("bad hex %q: %v", hexIn, err)
		}
		if got := render(string(in)); got != want {
			t.Errorf("input %q:\n--- got\n%s--- want\n%s", in, got, want)
		}
	}
}
