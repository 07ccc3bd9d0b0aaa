package queue

import "strings"

// Queue names (mail_queue.h).
const (
	Maildrop = "maildrop"
	Hold     = "hold"
	Incoming = "incoming"
	Active   = "active"
	Deferred = "deferred"
	Trace    = "trace"
	Defer    = "defer"
	Bounce   = "bounce"
	Corrupt  = "corrupt"
	Flush    = "flush"
	Saved    = "saved"
)

// File modes that are queue-file state (MAIL_QUEUE_STAT_*).
const (
	StatReady      = 0700 // owner rwx: the file is complete
	StatCorrupt    = 0400 // marked unreadable by a delivery agent
	StatUnthrottle = 0040 // flush asked for delivery now
	StatExpire     = 0010 // forced expiration (postsuper -e)
)

// Ready reports whether a file mode marks a complete queue file.
func Ready(mode uint32) bool { return mode&0700 == StatReady }

// maxIDLen is VALID_HOSTNAME_LEN, the longest file name a queue holds.
const maxIDLen = 255

func isAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// NameOK reports whether name can be a queue name (mail_queue_name_ok):
// 1 to 100 ASCII letters and digits.
func NameOK(name string) bool {
	if name == "" || len(name) > 100 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isAlnum(name[i]) {
			return false
		}
	}
	return true
}

// IDOK reports whether id can name a file in a queue (mail_queue_id_ok):
// letters, digits and '_' (fast flush logfile names), at most 255.
func IDOK(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !isAlnum(id[i]) && id[i] != '_' {
			return false
		}
	}
	return true
}

// SplitNames splits a list parameter such as hash_queue_names at commas
// and white space (CHARS_COMMA_SP).
func SplitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	})
}
