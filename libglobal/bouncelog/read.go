package bouncelog

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
)

// Reader reads the entries of one logfile (bounce_log_read).
type Reader struct {
	r    *bufio.Reader
	path string
	log  *msg.Logger
	// UTF8 keeps valid UTF-8 when values are made printable
	// (smtputf8_enable).
	UTF8 bool
	// status and action fill in entries that have none: "4.0.0 delayed"
	// in the defer queue, "5.0.0 failed" elsewhere.
	status, action string
}

// NewReader reads a logfile of queue queueName named path (for warnings).
func NewReader(r io.Reader, queueName, path string, log *msg.Logger) *Reader {
	rd := &Reader{r: bufio.NewReader(r), path: path, log: log, status: "5.0.0", action: "failed"}
	if queueName == "defer" {
		rd.status, rd.action = "4.0.0", "delayed"
	}
	return rd
}

// Next returns the next entry; ok is false at end of file. Values are
// made printable ('?' for other bytes) and missing ones get Postfix's
// place holders.
func (rd *Reader) Next() (e Entry, ok bool) {
	found := false
	for {
		line, err := rd.r.ReadString('\n')
		if line == "" && err != nil {
			if !found {
				return Entry{}, false
			}
			// Postfix needs the blank line after an entry; an entry cut
			// short at end of file is dropped.
			return Entry{}, false
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if found {
				break
			}
			continue
		}
		line = printable(line, rd.UTF8)
		found = true
		if isAlnum(line[0]) {
			name, value, err := mailconf.SplitNameValue(line)
			if err != nil {
				rd.log.Warnf("%s: malformed record: %v", rd.path, err)
				continue
			}
			rd.set(&e, name, value)
			continue
		}
		if line[0] != '<' {
			rd.log.Warnf("%s: malformed record: %.30s...", rd.path, line)
			continue
		}
		i := strings.Index(line[1:], ">: ")
		if i < 0 {
			rd.log.Warnf("%s: malformed record: %.30s...", rd.path, line)
			continue
		}
		e.Recipient = line[1 : 1+i]
		if e.Recipient == "" {
			e.Recipient = "(MAILER-DAEMON)"
		}
		e.Reason = strings.TrimLeft(line[1+i+2:], " \t\n\v\f\r")
	}
	if e.Recipient == "" {
		e.Recipient = "(recipient address unavailable)"
	}
	if e.Status == "" {
		e.Status = rd.status
	}
	if e.Action == "" {
		e.Action = rd.action
	}
	if e.Reason == "" {
		e.Reason = "(description unavailable)"
	}
	return e, true
}

// set stores one name=value attribute.
func (rd *Reader) set(e *Entry, name, value string) {
	orMD := func(v string) string {
		if v == "" {
			return "(MAILER-DAEMON)"
		}
		return v
	}
	switch name {
	case "recipient":
		e.Recipient = orMD(value)
	case "original_recipient":
		e.OrigRecipient = orMD(value)
	case "dsn_orig_rcpt":
		e.DSNOrcpt = value
	case "notify_flags":
		if n := atoi(value); n > 0 && n&^0xf == 0 {
			e.Notify = n
		}
	case "offset":
		if n, _ := strconv.ParseInt(leadingNumber(value), 10, 64); n > 0 {
			e.Offset = n
		}
	case "status":
		e.Status = value
	case "action":
		e.Action = value
	case "diag_type":
		e.DiagType = value
	case "diag_text":
		e.DiagText = value
	case "mta_type":
		e.MTAType = value
	case "mta_mname":
		e.MTAName = value
	case "reason":
		e.Reason = value
	default:
		rd.log.Warnf("%s: unknown attribute name: %s, ignored", rd.path, name)
	}
}

// atoi is C's atoi: leading blanks, a sign, digits; junk ends it.
func atoi(s string) int {
	n, _ := strconv.Atoi(leadingNumber(s))
	return n
}

func leadingNumber(s string) string {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// printable replaces bytes that are not printable ASCII with '?',
// keeping valid UTF-8 sequences when utf8 is set (printable(3)).
func printable(s string, utf8ok bool) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		c := b[i]
		if c >= 0x80 && utf8ok {
			if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
				i += n
				continue
			}
		}
		if c < 0x20 || c >= 0x7f {
			b[i] = '?'
		}
		i++
	}
	return string(b)
}
