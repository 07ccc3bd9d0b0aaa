package main

import (
	"testing"

	"gopostfix/libglobal/rewrite"
)

// TestResolveCache checks the one-entry cache of resolver answers: a hit
// needs the same request, sender and non-empty address within 30
// seconds of the query.
func TestResolveCache(t *testing.T) {
	rep := rewrite.Reply{Transport: "discard", Nexthop: "example.com", Recipient: "u@example.com", Flags: 1}
	tests := []struct {
		name         string
		verify       bool
		sender, addr string
		now          int64
		hit          bool
	}{
		{"same query", false, "s@example.org", "u@example.com", 100, true},
		{"last second", false, "s@example.org", "u@example.com", 129, true},
		{"expired", false, "s@example.org", "u@example.com", 130, false},
		{"other sender", false, "", "u@example.com", 100, false},
		{"other address", false, "s@example.org", "v@example.com", 100, false},
		{"verify request", true, "s@example.org", "u@example.com", 100, false},
	}
	for _, tt := range tests {
		var c resolveCache
		c.put(false, "s@example.org", "u@example.com", rep, 100)
		got, ok := c.get(tt.verify, tt.sender, tt.addr, tt.now)
		if ok != tt.hit || ok && got != rep {
			t.Errorf("%s: got %+v %v, want hit %v", tt.name, got, ok, tt.hit)
		}
	}
	var c resolveCache
	if _, ok := c.get(false, "", "u@example.com", 0); ok {
		t.Errorf("empty cache answered")
	}
	c.put(false, "s", "", rep, 100)
	if _, ok := c.get(false, "s", "", 100); ok {
		t.Errorf("empty address answered from the cache")
	}
}
