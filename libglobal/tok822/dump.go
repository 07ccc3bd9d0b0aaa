package tok822

import (
	"fmt"
	"strings"
)

// Dump renders a token tree one token per line, indented by depth, in the
// layout of Postfix's tok822_parse test program; for tests and debugging.
func Dump(tree *Token) string {
	var b strings.Builder
	dump(&b, tree, 0)
	return b.String()
}

func dump(b *strings.Builder, tree *Token, indent int) {
	pad := strings.Repeat(" ", indent)
	for t := tree; t != nil; t = t.Next {
		switch {
		case t.Type < MinTok:
			fmt.Fprintf(b, "%s OP \"%c\"\n", pad, byte(t.Type))
		case t.Type == Addr:
			fmt.Fprintf(b, "%s address\n", pad)
			dump(b, t.Head, indent+2)
		case t.Type == StartGroup:
			fmt.Fprintf(b, "%s group \":\"\n", pad)
		default:
			fmt.Fprintf(b, "%s %s \"%s\"\n", pad, typeName(t.Type), t.Text)
		}
	}
}
