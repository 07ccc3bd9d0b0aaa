package maillog

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/util/msg"
)

// severityName is the word Postfix puts before non-info text in logs.
func severityName(l msg.Level) string {
	switch l {
	case msg.Warning:
		return "warning"
	case msg.Error:
		return "error"
	case msg.Fatal:
		return "fatal"
	case msg.Panic:
		return "panic"
	}
	return ""
}

// recLen bounds the text of one record (MSG_SYSLOG_RECLEN and
// MSG_LOGGER_RECLEN are both 2000).
const recLen = 2000

// Body returns the text as Postfix logs it: "warning: text" for non-info
// levels, truncated to the record length.
func Body(l msg.Level, text string) string {
	if len(text) > recLen {
		text = text[:recLen]
	}
	if l == msg.Info {
		return text
	}
	return severityName(l) + ": " + text
}

// Tag returns the program tag "syslog_name/name", as mail_task(3) builds
// it from the basename of name.
func Tag(syslogName, name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return syslogName + "/" + name
}

// FileLine formats a line as the postlog client sends it and postlogd
// writes it: local time "%b %d %H:%M:%S", the first label of the host
// name, then "tag[pid]: body". No newline.
func FileLine(now time.Time, hostname, tag string, pid int, body string) string {
	if i := strings.IndexByte(hostname, '.'); i >= 0 {
		hostname = hostname[:i]
	}
	return fmt.Sprintf("%s %s %s[%d]: %s", now.Format("Jan 02 15:04:05"), hostname, tag, pid, body)
}

// StripPrefix removes the date, time, host and "tag[pid]:" that FileLine
// put before a record, returning the tag[pid] and the body, as postlogd
// does before it relays a record to syslog. ok is false for records that
// do not have that shape.
func StripPrefix(line string) (tagPid, body string, ok bool) {
	rest := line
	for i := 0; i < 4; i++ {
		rest = strings.TrimLeft(rest, " \t\r\n")
		j := strings.IndexAny(rest, " \t\r\n")
		if j < 0 {
			return "", "", false
		}
		rest = rest[j:]
	}
	rest = strings.TrimLeft(rest, " \t\r\n")
	j := strings.IndexAny(rest, ": \t\r\n")
	if j < 0 {
		return "", "", false
	}
	tagPid = rest[:j]
	rest = rest[j:]
	rest = strings.TrimPrefix(rest, ":")
	return tagPid, strings.TrimLeft(rest, " \t\r\n"), true
}
