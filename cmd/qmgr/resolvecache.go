package main

import "gopostfix/libglobal/rewrite"

// resolveCacheTTL is how long, in seconds, the resolver answer is kept
// (resolve_clnt.c's hard-wired 30 seconds).
const resolveCacheTTL = 30

// resolveCache is the resolver client's one-entry cache: as Postfix's
// resolve_clnt does, the last answer is reused for the same request
// (resolve or verify), sender and non-empty address until it is 30
// seconds old. A run of messages for one recipient then costs one
// trivial-rewrite round trip every 30 seconds instead of one each.
type resolveCache struct {
	valid        bool
	verify       bool
	sender, addr string
	rep          rewrite.Reply
	expire       int64 // Unix seconds
}

// get returns the cached answer for the query at time now.
func (c *resolveCache) get(verify bool, sender, addr string, now int64) (rewrite.Reply, bool) {
	if !c.valid || now >= c.expire || addr == "" || addr != c.addr || verify != c.verify || sender != c.sender {
		return rewrite.Reply{}, false
	}
	return c.rep, true
}

// put remembers the answer to a query made at time now.
func (c *resolveCache) put(verify bool, sender, addr string, rep rewrite.Reply, now int64) {
	*c = resolveCache{valid: true, verify: verify, sender: sender, addr: addr, rep: rep, expire: now + resolveCacheTTL}
}
