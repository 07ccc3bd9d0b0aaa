package main

import (
	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
)

// resolver is smtpd_resolve.c: rewrite the address in the remote context,
// then resolve it for the sender, through trivial-rewrite. The rewrite
// service speaks external (quoted) form, the resolver internal form.
type resolver struct {
	cl *rewrite.Client
}

func (r resolver) Resolve(sender, addr string) (smtpd.Resolved, error) {
	ext, err := r.cl.Rewrite(rewrite.ContextRemote, tok822.QuoteLocal(addr, tok822.QuoteDefault))
	canon := tok822.UnquoteLocal(ext)
	if err != nil {
		return smtpd.Resolved{Flags: smtpd.ResolveFail}, err
	}
	rep, err := r.cl.Resolve(sender, canon)
	if err != nil {
		return smtpd.Resolved{Flags: smtpd.ResolveFail}, err
	}
	return smtpd.Resolved{Transport: rep.Transport, Nexthop: rep.Nexthop, Recipient: rep.Recipient,
		Flags: smtpd.ResolveFlags(rep.Flags)}, nil
}
