// Command gen writes the manual pages in man/ from the programs' own
// documentation: the package doc comment of every cmd/<program> becomes
// man/<program>.1 (commands an administrator or user runs) or
// man/<program>.8 (daemons that master(8) starts), and the parameter
// table of libglobal/params becomes man/postconf.5 (master.5, the
// master.cf format, is written in formats.go). Postfix generates its pages
// from C comments with its own tools; this is the same idea for Go doc
// comments, and the pages are ours, not copies of Postfix's. A program
// without a doc comment gets no page (gen says so on standard error).
//
// Usage (from the repository root, or through "make man" or
// "go generate ./man/..."):
//
//	go run ./man/gen [-root DIR] [-out DIR]
//
// # How a doc comment becomes a page
//
// The doc comment is parsed as a Go doc comment (go/doc/comment), so it
// reads the same in "go doc" and in man(1):
//
//   - The first sentence, "Command NAME is/does ...", minus its "Command
//     NAME" subject, a leading "is the" and anything from the first " (",
//     ": ", "; " or ", as" on, is the one-line summary in the NAME section;
//     keep it short.
//   - Text before the first "# Heading" is the DESCRIPTION. Every
//     heading becomes a section of the same name in capitals, in order.
//   - A "# Synopsis" section holds one code block, one command line per
//     line. Without it the synopsis is made from the getopt option string
//     the program passes to getopt.Parse, or, for daemons, names the
//     generic daemon options.
//   - A code block whose lines alternate between a term and
//     tab-indented text (the layout of gofmt's own documentation) is a
//     list of tagged paragraphs: options in an "Options" section,
//     parameters in a "Configuration parameters" section (their defaults
//     are added from libglobal/params). Any other code block is shown
//     verbatim.
//   - Parameter names (fast_flush_domains) are set in bold, and so are
//     page references (postconf(5)), which also fill SEE ALSO unless the
//     comment has a "# See also" section.
//
// Daemons get a GENERIC DAEMON OPTIONS section (the options every
// libmaster skeleton takes from master.cf) and, unless their comment has
// one, a DIAGNOSTICS section. Every page ends with the main.cf parameters
// the program names in its code or its comment, with their defaults.
//
// Alias pages (mailq and newaliases for sendmail, lmtp for smtp, defer and
// trace for bounce) are one-line ".so" pages pointing at the program's
// page.
package main

//go:generate go run . -root ../.. -out ..

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	root := flag.String("root", ".", "repository root (holds cmd/ and libglobal/)")
	out := flag.String("out", "man", "directory the pages are written to")
	flag.Parse()
	if err := run(*root, *out); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}
