package rewrite

import (
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	now := time.Unix(1000, 0)
	c := newCache(2, 30*time.Second, func() time.Time { return now })
	c.put("local", "a", "a@x")
	c.put("remote", "a", "a@y")
	for _, tc := range []struct {
		ctx, addr, want string
		ok              bool
	}{
		{"local", "a", "a@x", true},
		{"remote", "a", "a@y", true},
		{"local", "b", "", false},
	} {
		if got, ok := c.get(tc.ctx, tc.addr); got != tc.want || ok != tc.ok {
			t.Errorf("get(%s, %s) = %q, %v", tc.ctx, tc.addr, got, ok)
		}
	}
	c.put("local", "b", "b@x") // evicts the oldest, local a
	if _, ok := c.get("local", "a"); ok {
		t.Errorf("oldest entry kept beyond the limit")
	}
	c.put("remote", "a", "a@z") // replaces in place
	if got, _ := c.get("remote", "a"); got != "a@z" {
		t.Errorf("replaced entry: %q", got)
	}
	now = now.Add(30 * time.Second)
	if _, ok := c.get("remote", "a"); ok {
		t.Errorf("entry used after its time")
	}
	var none *cache
	if _, ok := none.get("local", "a"); ok {
		t.Errorf("nil cache answers")
	}
	none.put("local", "a", "x")
}
