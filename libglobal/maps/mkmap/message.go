package mkmap

import (
	"bufio"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// headerNameLen returns the length of the header name when line starts
// a header ("Name:" with optional blanks before the colon), else 0
// (is_header_buf).
func headerNameLen(line string) int {
	n, space := 0, false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ':':
			return n
		case c == ' ' || c == '\t':
			if n == 0 {
				return 0
			}
			space = true
		case c == 0 || c >= 0x80 || c < 0x20 || c == 0x7f:
			return 0
		default:
			if space {
				return 0
			}
			n++
		}
	}
	return 0
}

// MessageQueries reads a message from stdin and looks up each logical
// header line (header, postmap -h) and/or each body line (body, -b), the
// way postmap feeds Postfix's MIME parser with MIME processing off: a
// folded header is one key with embedded newlines; the primary header
// ends at an empty line or at the first line that is not a header (then
// an empty body line is made up first).
func (t *Tool) MessageQueries(args []string, flags dict.Flags, header, body bool) bool {
	l := &lazyTables{t: t, args: args, flags: flags, tables: make([]dict.Dict, len(args))}
	found := false
	probe := func(key string) {
		if l.probe(key) {
			found = true
		}
	}
	br := bufio.NewReaderSize(t.Stdin, 64*1024)
	inHeader, done := true, false
	var pending strings.Builder
	flushHeader := func() {
		if pending.Len() > 0 {
			if header {
				probe(pending.String())
			}
			pending.Reset()
		}
	}
	for !done {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			break
		}
		line = strings.TrimSuffix(line, "\n")
		if inHeader {
			if pending.Len() > 0 && line != "" && (line[0] == ' ' || line[0] == '\t') {
				pending.WriteByte('\n')
				pending.WriteString(line)
				continue
			}
			flushHeader()
			if n := headerNameLen(line); n > 0 {
				pending.WriteString(line[:n])
				pending.WriteString(strings.TrimLeft(line[n:], " \t"))
				continue
			}
			if !body {
				done = true // only the primary header was wanted
			}
			if line != "" && body {
				probe("")
			}
			inHeader = false
		}
		if body {
			probe(line)
		}
	}
	flushHeader()
	t.Stdout.Flush()
	l.close()
	return found
}
