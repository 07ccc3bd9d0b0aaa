package queue

import (
	"fmt"
	"strings"
)

// safeChars is the long queue ID alphabet: digits and letters without
// vowels, so that IDs never spell words (safe_ultostr.c).
const safeChars = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"

// Long queue ID layout (MQID_LG_*).
const (
	lgSecBase  = 52
	lgSecPad   = 6
	lgUsecBase = 52
	lgUsecPad  = 4
	lgTimePad  = lgSecPad + lgUsecPad
	lgInumSep  = 'z'
	lgInumBase = 51
	shUsecPad  = 5
)

// EncodeSafe writes v in the given base (2..52) with the safe alphabet,
// left-padded with '0' to at least pad characters (safe_ultostr).
func EncodeSafe(v uint64, base, pad int) string {
	var b []byte
	for v != 0 {
		b = append(b, safeChars[v%uint64(base)])
		v /= uint64(base)
	}
	for len(b) < pad {
		b = append(b, '0')
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// DecodeSafe parses s in the given base with the safe alphabet after
// leading white space (safe_strtoul). ok is false when a character is not
// a digit of the base or the value overflows.
func DecodeSafe(s string, base int) (v uint64, ok bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	if i == len(s) {
		// No conversion: only the empty string passes.
		return 0, len(s) == 0
	}
	for ; i < len(s); i++ {
		d := strings.IndexByte(safeChars[:base], s[i])
		if d < 0 {
			return v, false
		}
		if v > (1<<64-1-uint64(d))/uint64(base) {
			return 1<<64 - 1, false
		}
		v = v*uint64(base) + uint64(d)
	}
	return v, true
}

// ShortID makes a short queue ID: microseconds as five hex digits, then
// the inode number in hex.
func ShortID(usec int64, ino uint64) string {
	return fmt.Sprintf("%05X%X", int32(usec), ino)
}

// LongID makes a long queue ID: seconds (at least 6 digits) and
// microseconds (4 digits) in base 52, 'z', the inode number in base 51.
func LongID(sec, usec int64, ino uint64) string {
	return EncodeSafe(uint64(sec), lgSecBase, lgSecPad) +
		EncodeSafe(uint64(usec), lgUsecBase, lgUsecPad) +
		string(rune(lgInumSep)) + EncodeSafe(ino, lgInumBase, 0)
}

// FileID is the inode part of a queue ID (get_file_id_st).
func FileID(ino uint64, long bool) string {
	if long {
		return EncodeSafe(ino, lgInumBase, 0)
	}
	return fmt.Sprintf("%X", ino)
}

// longSep returns the index of the 'z' that separates time and inode in a
// long queue ID, or -1 for a short one (MQID_FIND_LG_INUM_SEPARATOR).
func longSep(id string) int {
	i := strings.LastIndexByte(id, lgInumSep)
	if i >= lgTimePad {
		return i
	}
	return -1
}

// IsLong reports whether id has the long form.
func IsLong(id string) bool { return longSep(id) >= 0 }

// Inode recovers the inode number from a queue ID (MQID_GET_INUM). ok is
// false when the inode part is malformed.
func Inode(id string) (ino uint64, long, ok bool) {
	if i := longSep(id); i >= 0 {
		ino, ok = DecodeSafe(id[i+1:], lgInumBase)
		return ino, true, ok
	}
	if len(id) < shUsecPad {
		return 0, false, false
	}
	ino, ok = strtoul16(id[shUsecPad:])
	return ino, false, ok
}

// strtoul16 is strtoul(s, &end, 16) that must consume all of s: white
// space, a sign and a 0x prefix are accepted as C does.
func strtoul16(s string) (uint64, bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i+2 < len(s) && s[i] == '0' && s[i+1]|0x20 == 'x' && hexVal(s[i+2]) >= 0 {
		i += 2
	}
	digits := i
	var v uint64
	over := false
	for ; i < len(s) && hexVal(s[i]) >= 0; i++ {
		if v > (1<<64-1)>>4 {
			over = true
		}
		v = v<<4 | uint64(hexVal(s[i]))
	}
	if i == digits {
		// No conversion: end points at the start, so all of s must be empty.
		return 0, len(s) == 0
	}
	if over {
		return 1<<64 - 1, false
	}
	if neg {
		v = -v
	}
	return v, i == len(s)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// hashKey is the string whose first characters choose the hashed
// subdirectories: the ID itself, or for a long ID its microseconds
// converted to the five hex digits a short ID starts with, so that both
// forms spread the same way (MQID_LG_GET_HEX_USEC).
func hashKey(id string) string {
	i := longSep(id)
	if i < 0 {
		return id
	}
	usec, ok := DecodeSafe(id[i-lgUsecPad:i], lgUsecBase)
	if !ok {
		usec = 0
	}
	return fmt.Sprintf("%05X", int32(usec))
}

// ShortFromLong converts a long ID to the short form with a new inode
// part, as postsuper does when long IDs are switched off.
func ShortFromLong(id string, ino uint64) string {
	return hashKey(id) + FileID(ino, false)
}

// WithInode replaces the inode part of id (postsuper's fix_queue_id).
// A long ID stays long only when long is set.
func WithInode(id string, ino uint64, long bool) string {
	i := longSep(id)
	switch {
	case i < 0:
		return prefix(id, shUsecPad) + FileID(ino, false)
	case long:
		return id[:i] + string(rune(lgInumSep)) + FileID(ino, true)
	}
	return ShortFromLong(id, ino)
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}
