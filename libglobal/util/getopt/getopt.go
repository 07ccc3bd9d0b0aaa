// Package getopt parses command lines the way the Postfix programs see them
// on Linux: through glibc's getopt(3), which permutes arguments (options
// may follow operands unless POSIXLY_CORRECT is set or the option string
// starts with '+'), accepts bundled flags ("-nx"), attached or separate
// option arguments ("-cdir", "-c dir"), stops at "--", and reports errors as
// "argv0: invalid option -- 'Z'" and
// "argv0: option requires an argument -- 'c'".
package getopt

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Option is one parsed option. Char is '?' for an invalid option or a
// missing argument (after the error was reported).
type Option struct {
	Char byte
	Arg  string
}

// Parse parses argv (argv[0] is the program name) against optstring.
// Errors are written to errw in glibc's words; their options come back with
// Char '?'. It returns the options in command-line order and the operands.
func Parse(argv []string, optstring string, errw io.Writer) (opts []Option, operands []string) {
	permute := os.Getenv("POSIXLY_CORRECT") == ""
	if strings.HasPrefix(optstring, "+") {
		permute = false
		optstring = optstring[1:]
	}
	optstring = strings.TrimPrefix(optstring, ":")
	prog := ""
	if len(argv) > 0 {
		prog = argv[0]
	}
	args := argv[min(1, len(argv)):]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			if !permute {
				operands = append(operands, args[i:]...)
				break
			}
			operands = append(operands, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			k := strings.IndexByte(optstring, c)
			if k < 0 || c == ':' {
				fmt.Fprintf(errw, "%s: invalid option -- '%c'\n", prog, c)
				opts = append(opts, Option{Char: '?'})
				continue
			}
			if k+1 < len(optstring) && optstring[k+1] == ':' {
				if j+1 < len(a) {
					opts = append(opts, Option{Char: c, Arg: a[j+1:]})
				} else if i+1 < len(args) {
					i++
					opts = append(opts, Option{Char: c, Arg: args[i]})
				} else {
					fmt.Fprintf(errw, "%s: option requires an argument -- '%c'\n", prog, c)
					opts = append(opts, Option{Char: '?'})
				}
				break
			}
			opts = append(opts, Option{Char: c})
		}
	}
	return opts, operands
}
