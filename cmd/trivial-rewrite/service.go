package main

import (
	"errors"

	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/attr"
)

// errDisconnect ends a client connection without a reply.
var errDisconnect = errors.New("disconnect")

// serve handles one request (rewrite_service): it reads the request name,
// then the request's own attributes, and answers. An unknown request or
// a malformed one closes the connection without a reply.
func (r *rewriter) serve(c *attr.Conn, serverFlags int) error {
	var req string
	if n, err := c.Scan(attr.Strict|attr.More, attr.RecvStr("request", &req)); err != nil || n != 1 {
		return errDisconnect
	}
	switch req {
	case rewrite.ReqRewrite:
		var rule, addr string
		if n, err := c.Scan(attr.Strict, attr.RecvStr("rule", &rule), attr.RecvStr("address", &addr)); err != nil || n != 2 {
			return errDisconnect
		}
		var ctx *context
		switch rule {
		case rewrite.ContextLocal:
			ctx = &r.localCtx
		case rewrite.ContextRemote:
			ctx = &r.remoteCtx
		default:
			r.log.Warnf("unknown context: %s", rule)
			return errDisconnect
		}
		out := r.rewriteAddr(ctx, addr)
		r.log.Debugf("`%s' `%s' -> `%s'", rule, addr, out)
		return c.Print(attr.Int("flags", serverFlags), attr.Str("address", out))
	case rewrite.ReqResolve, rewrite.ReqVerify:
		var sender, addr string
		if n, err := c.Scan(attr.Strict, attr.RecvStr("sender", &sender), attr.RecvStr("address", &addr)); err != nil || n != 2 {
			return errDisconnect
		}
		rc := &r.regular
		if req == rewrite.ReqVerify {
			rc = &r.verify
		}
		res := r.resolveAddr(rc, sender, addr)
		r.log.Debugf("`%s' -> `%s' -> %s", sender, addr, res)
		return c.Print(attr.Int("flags", serverFlags), attr.Str("transport", res.transport),
			attr.Str("nexthop", res.nexthop), attr.Str("recipient", res.recipient), attr.Int("flags", res.flags))
	}
	r.log.Warnf("bad command %.30s", printable(req))
	return errDisconnect
}

// printable replaces non-printable bytes with '?'.
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c >= 0x7f {
			b[i] = '?'
		}
	}
	return string(b)
}
