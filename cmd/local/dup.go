package main

import "strings"

// dupFilter remembers what one recipient's expansion already did
// (been_here with BH_FLAG_FOLD), up to limit entries (0: no limit).
type dupFilter struct {
	seenKeys map[string]bool
	limit    int
}

func newDupFilter(limit int) *dupFilter {
	return &dupFilter{seenKeys: map[string]bool{}, limit: limit}
}

// seen reports whether key was seen before, and remembers it.
func (f *dupFilter) seen(key string) bool {
	key = strings.ToLower(key)
	if f.seenKeys[key] {
		return true
	}
	if f.limit <= 0 || len(f.seenKeys) < f.limit {
		f.seenKeys[key] = true
	}
	return false
}

// check reports whether key was seen, without remembering it.
func (f *dupFilter) check(key string) bool { return f.seenKeys[strings.ToLower(key)] }
