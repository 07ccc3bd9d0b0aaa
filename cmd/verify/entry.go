package main

import (
	"fmt"
	"strconv"
	"strings"

	"gopostfix/libglobal/verify"
)

// entry is one cache value, "status:probed:updated:text": the address
// status, when the outstanding probe was sent (0: none), when the last
// result arrived (0: none yet) and the delivery agent's text.
type entry struct {
	status          int
	probed, updated int64
	text            string
}

func (e entry) String() string {
	return fmt.Sprintf("%d:%d:%d:%s", e.status, e.probed, e.updated, e.text)
}

// parseEntry reads a cache value (verify_parse_entry). On failure it
// returns the text Postfix shows in its warning: the value up to the
// first ':' (Postfix has cut it there already), at most 100 bytes.
func parseEntry(raw string) (entry, bool, string) {
	f := strings.SplitN(raw, ":", 4)
	bad := f[0]
	if len(bad) > 100 {
		bad = bad[:100]
	}
	if len(f) < 4 || !allDigits(f[0]) || !allDigits(f[1]) || !allDigits(f[2]) {
		return entry{}, false, bad
	}
	e := entry{status: atoi(f[0]), probed: atol(f[1]), updated: atol(f[2]), text: f[3]}
	switch e.status {
	case verify.RcptOK, verify.RcptDefer, verify.RcptBounce, verify.RcptTodo:
		if e.probed != 0 || e.updated != 0 {
			return e, true, ""
		}
	}
	return entry{}, false, bad
}

// rawStatus is the status at the start of a value without parsing the
// rest (STATUS_FROM_RAW_ENTRY, atoi).
func rawStatus(raw string) int { return atoi(raw) }

// allDigits is alldig(3): true for the empty string too.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atol converts leading digits as atol(3) does for these inputs.
func atol(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.ParseInt(s[i:j], 10, 64)
	return n
}

func atoi(s string) int { return int(int32(atol(s))) }

// statusName is the log name of an address status (verify_stat2name);
// "" for a status that cannot be stored.
func statusName(st int) string {
	switch st {
	case verify.RcptOK:
		return "deliverable"
	case verify.RcptDefer, verify.RcptBounce:
		return "undeliverable"
	}
	return ""
}
