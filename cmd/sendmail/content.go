package main

import (
	"bufio"
	"strings"

	"gopostfix/libglobal/record"
)

// CR handling of sendmail_fix_line_endings.
const (
	crDunno = iota // strict: decide on the first line
	crStrip
	crKeep
)

// readLine reads one line into records the way rec_streamlf_get does:
// at most limit bytes, a complete line as Norm (newline removed), a piece
// of a longer line or a last line without newline as Cont.
func readLine(r *bufio.Reader, limit int, buf []byte) (byte, []byte, bool) {
	buf = buf[:0]
	for n := 0; n < limit; n++ {
		c, err := r.ReadByte()
		if err != nil {
			if len(buf) > 0 {
				return record.Cont, buf, true
			}
			return 0, buf, false
		}
		if c == '\n' {
			return record.Norm, buf, true
		}
		buf = append(buf, c)
	}
	return record.Cont, buf, true
}

// copyContent copies the message text into records and, with -t,
// returns the recipients found in the headers.
func (sm *sendmail) copyContent(w *record.Writer, in *bufio.Reader, sender string, uid int) []string {
	limit, err := sm.cfg.Int("line_length_limit")
	if err != nil {
		sm.log.Fatalf("%v", err)
	}
	strip := crDunno
	switch mode := sm.str("sendmail_fix_line_endings"); mode {
	case "always":
		strip = crStrip
	case "strict":
	case "never":
		strip = crKeep
	default:
		sm.fatal(exUsage, "invalid sendmail_fix_line_endings value: %s", mode)
	}
	var hx *headerExtractor
	if sm.extract {
		max, err := sm.cfg.Int("header_size_limit")
		if err != nil {
			sm.log.Fatalf("%v", err)
		}
		hx = newHeaderExtractor(w, limit, max)
	}
	skipFrom := true
	var prev byte
	var buf []byte
	for {
		t, line, ok := readLine(in, limit, buf)
		if !ok {
			break
		}
		buf = line
		if strip == crDunno && t == record.Norm {
			strip = crKeep
			if len(line) > 0 && line[len(line)-1] == '\r' {
				strip = crStrip
			}
		}
		if skipFrom {
			if t == record.Norm && strings.HasPrefix(strings.TrimLeft(record.CString(line), ">"), "From ") {
				prev = t
				continue
			}
			skipFrom = false
		}
		if strip == crStrip && t == record.Norm {
			for len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
		}
		if sm.aeof && prev != record.Cont && len(line) == 1 && line[0] == '.' {
			break
		}
		prev = t
		if hx != nil {
			if err := hx.update(t, line); err != nil {
				sm.fatal(exDataErr, "%s(%d): unable to extract recipients: %v", sender, uid, err)
			}
		} else {
			w.Put(t, line)
		}
	}
	if hx == nil {
		return nil
	}
	return hx.finish()
}
