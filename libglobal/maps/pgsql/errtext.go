package pgsql

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// serverMessage is libpq's default-verbosity text of a server error:
// "SEVERITY:  message", the position marker when the error points into
// query, then DETAIL, HINT and CONTEXT lines, each ending in a newline.
func serverMessage(e *pgconn.PgError, query string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:  %s\n", e.Severity, e.Message)
	if e.Position > 0 && query != "" {
		b.WriteString(positionMarker(query, int(e.Position)))
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, "DETAIL:  %s\n", e.Detail)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "HINT:  %s\n", e.Hint)
	}
	if e.Where != "" {
		fmt.Fprintf(&b, "CONTEXT:  %s\n", e.Where)
	}
	return b.String()
}

// Display limits of libpq's error position marker.
const (
	displaySize = 60 // widest query excerpt shown
	minRightCut = 10 // characters kept after the error, when cutting
)

// positionMarker is libpq's reportErrorPosition for a one-byte
// encoding: the query line holding character loc (1-based), cut to
// displaySize columns with "..." where cut, and a '^' under the error.
func positionMarker(query string, loc int) string {
	loc--
	q := []byte(query)
	n := len(q)
	if loc < 0 || loc > n {
		return ""
	}
	line, beg, end := 1, 0, n
	for i := 0; i < n; i++ {
		c := q[i]
		if c == '\t' {
			q[i] = ' '
			continue
		}
		if c != '\r' && c != '\n' {
			continue
		}
		if i < loc {
			if c == '\r' && i+1 < n && q[i+1] == '\n' {
				continue
			}
			line++
			beg = i + 1
		} else {
			end = i
			break
		}
	}
	begCut, endCut := false, false
	if end-beg > displaySize {
		if beg+displaySize >= loc+minRightCut {
			end = beg + displaySize
			endCut = true
		} else {
			for loc+minRightCut < end {
				end--
				endCut = true
			}
			for end-beg > displaySize {
				beg++
				begCut = true
			}
		}
	}
	var b strings.Builder
	prefix := fmt.Sprintf("LINE %d: ", line)
	if begCut {
		prefix += "..."
	}
	b.WriteString(prefix)
	b.Write(q[beg:end])
	if endCut {
		b.WriteString("...")
	}
	b.WriteByte('\n')
	b.WriteString(strings.Repeat(" ", len(prefix)+loc-beg))
	b.WriteString("^\n")
	return b.String()
}

// oneLine replaces the newlines and tabs of a libpq message with '?',
// as Postfix's logging does with every control character.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < ' ' || c == 0x7f {
			b[i] = '?'
		}
	}
	return string(b)
}
