package main

import (
	"gopostfix/libglobal/tok822"
)

// context is a rewriting context (RWR_CONTEXT): what "local" and "remote"
// append to incomplete addresses.
type context struct {
	origin string // appended after '@' to addresses without domain
	domain string // appended after '.' to domains without dot
}

// rewriteOpts are the rewriting switches of main.cf.
type rewriteOpts struct {
	swapBangpath    bool // swap_bangpath
	percentHack     bool // allow_percent_hack
	appendAtOrigin  bool // append_at_myorigin
	appendDotDomain bool // append_dot_mydomain
}

// rewriteTree rewrites the members of an address token (rewrite_tree):
// source routes are dropped, bang paths and percent hacks turned into
// user@domain, a missing domain and a missing ".domain" appended, a
// trailing dot removed.
func rewriteTree(o *rewriteOpts, ctx *context, tree *tok822.Token) {
	if tree.Head == nil {
		return
	}
	// The empty address "" is left alone; a lone "@" becomes it.
	if tree.Head == tree.Tail && tree.Tail.Type == tok822.QString && tree.Tail.Text == "" {
		return
	}
	if tree.Head == tree.Tail && tree.Tail.Type == '@' {
		tok822.SubKeepBefore(tree, tree.Tail)
		tok822.SubAppend(tree, tok822.New(tok822.QString, ""))
		return
	}
	// @a,@b:user@c -> user@c
	if tree.Head.Type == '@' {
		if colon := tok822.FindType(tree.Head, ':'); colon != nil && colon != tree.Tail {
			tok822.SubKeepAfter(tree, colon)
		}
	}
	if tok822.RFindType(tree.Tail, '@') == nil {
		if bang := findIf(o.swapBangpath, tree.Head, '!'); bang != nil {
			// host!user -> user@host
			tok822.SubKeepBefore(tree, bang)
			local := tok822.CutAfter(bang)
			tok822.SubPrepend(tree, tok822.New('@', ""))
			if local != nil {
				tok822.SubPrepend(tree, local)
			}
		} else if pct := rfindIf(o.percentHack, tree.Tail, '%'); pct != nil {
			pct.Type = '@'
		} else if o.appendAtOrigin && ctx.origin != "" {
			tok822.SubAppend(tree, tok822.New('@', ""))
			h, _ := tok822.Scan(ctx.origin)
			tok822.SubAppend(tree, h)
		}
	}
	if o.appendDotDomain && ctx.domain != "" {
		if at := tok822.RFindType(tree.Tail, '@'); at != nil && at != tree.Tail &&
			tok822.FindType(at, tok822.DomLit) == nil && tok822.FindType(at, '.') == nil {
			tok822.SubAppend(tree, tok822.New('.', ""))
			h, _ := tok822.Scan(ctx.domain)
			tok822.SubAppend(tree, h)
		}
	}
	// user@host. -> user@host, but not "..", "@."
	if t := tree.Tail; t.Type == '.' && t.Prev != nil && t.Prev.Type != '.' && t.Prev.Type != '@' {
		tok822.SubKeepBefore(tree, t)
	}
}

func findIf(on bool, t *tok822.Token, typ int) *tok822.Token {
	if !on {
		return nil
	}
	return tok822.FindType(t, typ)
}

func rfindIf(on bool, t *tok822.Token, typ int) *tok822.Token {
	if !on {
		return nil
	}
	return tok822.RFindType(t, typ)
}

// rewriteAddr rewrites an external-form address in a context; the empty
// string stays empty (rewrite_proto warns about it).
func (r *rewriter) rewriteAddr(ctx *context, addr string) string {
	if addr == "" {
		r.log.Warnf("rewrite_addr: null address")
		return ""
	}
	tree := tok822.ScanAddr(addr)
	rewriteTree(&r.opts, ctx, tree)
	return tok822.Externalize(tree, 0, r.log)
}
