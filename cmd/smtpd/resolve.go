package main

import (
	"sync"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
)

// resolver is smtpd_resolve.c: rewrite the address in the remote context,
// then resolve it for the sender, through trivial-rewrite. The rewrite
// service speaks external (quoted) form, the resolver internal form.
// Like Postfix's smtpd, it keeps the last answers (per sender and
// address) for the life of the process; failures are not kept.
type resolver struct {
	cl *rewrite.Client

	mu    sync.Mutex
	cache map[[2]string]smtpd.Resolved
	order [][2]string
}

// resolveCacheSize is the number of answers kept (smtpd_resolve.c's
// ctable size).
const resolveCacheSize = 100

func newResolver(cl *rewrite.Client) *resolver {
	return &resolver{cl: cl, cache: map[[2]string]smtpd.Resolved{}}
}

func (r *resolver) Resolve(sender, addr string) (smtpd.Resolved, error) {
	key := [2]string{sender, addr}
	r.mu.Lock()
	if v, ok := r.cache[key]; ok {
		r.mu.Unlock()
		return v, nil
	}
	r.mu.Unlock()
	ext, err := r.cl.Rewrite(rewrite.ContextRemote, tok822.QuoteLocal(addr, tok822.QuoteDefault))
	if err != nil {
		return smtpd.Resolved{Flags: smtpd.ResolveFail}, err
	}
	rep, err := r.cl.Resolve(sender, tok822.UnquoteLocal(ext))
	if err != nil {
		return smtpd.Resolved{Flags: smtpd.ResolveFail}, err
	}
	v := smtpd.Resolved{Transport: rep.Transport, Nexthop: rep.Nexthop, Recipient: rep.Recipient,
		Flags: smtpd.ResolveFlags(rep.Flags)}
	if v.Flags&smtpd.ResolveFail == 0 {
		r.mu.Lock()
		if len(r.order) >= resolveCacheSize {
			delete(r.cache, r.order[0])
			r.order = r.order[1:]
		}
		r.cache[key] = v
		r.order = append(r.order, key)
		r.mu.Unlock()
	}
	return v, nil
}
