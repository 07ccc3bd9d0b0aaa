package main

import "strings"

// DSN NOTIFY bits (dsn_mask.h).
const (
	notifyNever   = 1
	notifySuccess = 2
	notifyFailure = 4
	notifyDelay   = 8
)

// dsnNotifyMask parses -N (dsn_notify_mask): a list of never, success,
// failure, delay; 0 when invalid or never mixed with others. unknown is
// the first word that is none of these.
func dsnNotifyMask(s string) (mask int, unknown string) {
	names := map[string]int{"never": notifyNever, "success": notifySuccess,
		"failure": notifyFailure, "delay": notifyDelay}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }) {
		bit, ok := names[strings.ToLower(w)]
		if !ok {
			return 0, w
		}
		mask |= bit
	}
	if mask&notifyNever != 0 && mask != notifyNever {
		return 0, ""
	}
	return mask, ""
}

// dsnRetCode parses -R (dsn_ret_code): full = 1, hdrs = 2.
func dsnRetCode(s string) int {
	switch strings.ToLower(s) {
	case "full":
		return 1
	case "hdrs":
		return 2
	}
	return 0
}
