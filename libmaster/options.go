package libmaster

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/getopt"
)

// Flags are the command-line options master passes to a child, parsed
// as every Postfix skeleton parses them.
type Flags struct {
	Chroot      bool        // -c
	Foreground  bool        // -d (no daemon mode)
	Debug       bool        // -D
	Solitary    bool        // -l
	ServiceName string      // -n, default the program's basename
	Overrides   [][2]string // -o name=value, -i max_idle, -m max_use, in order
	Retire      int         // -r seconds
	Sockets     int         // -s count, default 1
	StandAlone  bool        // -S
	Transport   string      // -t
	DropPrivs   bool        // -u
	Verbose     int         // -v count
	Stderr      bool        // -V
	Unlimited   bool        // -z
	Args        []string    // operands after the options
}

// flagString is the option string of single_server/multi_server etc.
// The leading '+' stops at the first operand, as on Linux builds.
const flagString = "+cdDi:lm:n:o:r:s:St:uvVz"

// ParseFlags parses argv (argv[0] is the program). Errors use Postfix's
// wording, for a fatal log line.
func ParseFlags(argv []string) (*Flags, error) {
	f := &Flags{Sockets: 1}
	if len(argv) > 0 {
		f.ServiceName = filepath.Base(argv[0])
	}
	var diag strings.Builder
	opts, operands := getopt.Parse(argv, flagString, &diag)
	for _, o := range opts {
		switch o.Char {
		case 'c':
			f.Chroot = true
		case 'd':
			f.Foreground = true
		case 'D':
			f.Debug = true
		case 'i':
			f.Overrides = append(f.Overrides, [2]string{"max_idle", o.Arg})
		case 'l':
			f.Solitary = true
		case 'm':
			f.Overrides = append(f.Overrides, [2]string{"max_use", o.Arg})
		case 'n':
			f.ServiceName = o.Arg
		case 'o':
			name, value, err := splitNameValue(o.Arg)
			if err != nil {
				return nil, fmt.Errorf("invalid \"-o %s\" option value: %s", o.Arg, err)
			}
			f.Overrides = append(f.Overrides, [2]string{name, value})
		case 'r':
			n, _ := strconv.Atoi(o.Arg)
			if n <= 0 {
				return nil, fmt.Errorf("invalid retirement time: %s", o.Arg)
			}
			f.Retire = n
		case 's':
			n, _ := strconv.Atoi(o.Arg)
			if n <= 0 {
				return nil, fmt.Errorf("invalid socket_count: %s", o.Arg)
			}
			f.Sockets = n
		case 'S':
			f.StandAlone = true
		case 't':
			f.Transport = o.Arg
		case 'u':
			f.DropPrivs = true
		case 'v':
			f.Verbose++
		case 'V':
			f.Stderr = true
		case 'z':
			f.Unlimited = true
		default:
			return nil, fmt.Errorf("invalid option: %s", invalidChar(diag.String()))
		}
	}
	f.Args = operands
	return f, nil
}

// invalidChar recovers the offending option letter from getopt's
// diagnostic ("prog: invalid option -- 'Q'").
func invalidChar(diag string) string {
	if i := strings.LastIndex(diag, "-- '"); i >= 0 && i+5 <= len(diag) {
		return diag[i+4 : i+5]
	}
	return "?"
}

// splitNameValue splits "name = value" as split_nameval(3): the name
// ends at white space or '=', which must follow; white space around the
// value is dropped.
func splitNameValue(s string) (string, string, error) {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	if i == len(s) || s[i] == '=' {
		return "", "", fmt.Errorf("missing attribute name")
	}
	start := i
	for i < len(s) && !isBlank(s[i]) && s[i] != '=' {
		i++
	}
	name := s[start:i]
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	if i == len(s) || s[i] != '=' {
		return "", "", fmt.Errorf("missing '=' after attribute name")
	}
	v := s[i+1:]
	for v != "" && isBlank(v[0]) {
		v = v[1:]
	}
	for v != "" && isBlank(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	return name, v, nil
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}
