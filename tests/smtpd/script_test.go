package smtpd

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// A dialogue script is a data file: directives, then one line per
// client line sent ("C: text", sent with CRLF; "R: text" sent raw, with
// \r \n \t \\ and \xNN escapes) and one line per server line expected
// ("S: text", or "S: <EOF>" for a server hang-up). Consecutive client
// lines go out in one write (pipelining). Directives:
//
//	@profile NAME   the smtpd service pair to talk to (profiles_test.go)
//	@from ADDR      the loopback address the client connects from
//	@nolog          the log lines are not compared (timing dependent)
//
// "S: ?" marks where a new script waits for replies before the real
// smtpd has filled in its expected lines (SMTPD_DIALOGUE_UPDATE=1).
//
// Lines starting with '#' are comments.
type script struct {
	path    string
	profile string
	from    string
	nolog   bool
	steps   []scriptStep
	lines   []string // the file, for rewriting in update mode
}

type scriptStep struct {
	line   int    // 1-based line in the file
	client bool   // bytes to send, else an expected server line
	data   string // raw bytes to send, or the expected line
}

func parseScript(path string) (*script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc := &script{path: path, from: "127.0.0.1", lines: strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")}
	for i, l := range sc.lines {
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "@profile "):
			sc.profile = strings.TrimSpace(l[len("@profile "):])
		case strings.HasPrefix(l, "@from "):
			sc.from = strings.TrimSpace(l[len("@from "):])
		case l == "@nolog":
			sc.nolog = true
		case strings.HasPrefix(l, "C:"):
			sc.steps = append(sc.steps, scriptStep{i + 1, true, strings.TrimPrefix(l[2:], " ") + "\r\n"})
		case strings.HasPrefix(l, "R: "):
			raw, err := unescape(l[3:])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
			sc.steps = append(sc.steps, scriptStep{i + 1, true, raw})
		case strings.HasPrefix(l, "S: "):
			sc.steps = append(sc.steps, scriptStep{i + 1, false, l[3:]})
		default:
			return nil, fmt.Errorf("%s:%d: unknown line %q", path, i+1, l)
		}
	}
	if sc.profile == "" {
		return nil, fmt.Errorf("%s: no @profile", path)
	}
	return sc, nil
}

// unescape decodes the R: notation.
func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'r':
			b.WriteByte('\r')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '\\':
			b.WriteByte('\\')
		case 'x':
			if i+3 > len(s) {
				return "", fmt.Errorf("short \\x escape")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf("bad \\x escape: %v", err)
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return b.String(), nil
}

// blocks groups the steps into alternating client and server runs.
func (sc *script) blocks() [][]scriptStep {
	var out [][]scriptStep
	for i, st := range sc.steps {
		if i == 0 || st.client != sc.steps[i-1].client {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], st)
	}
	return out
}
