package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/verify"
)

// serve reads and answers one request (verify_service).
func (v *verifier) serve(c *attr.Conn) error {
	var request string
	n, err := c.Scan(attr.More|attr.Strict, attr.RecvStr(verify.AttrRequest, &request))
	if n == 0 && err != nil && (errors.Is(err, io.EOF) || errors.Is(err, os.ErrDeadlineExceeded)) {
		return err
	}
	if n != 1 {
		if err != nil {
			v.s.Log.Warnf("%v", err)
		}
		return nil
	}
	switch request {
	case verify.ReqUpdate:
		return v.update(c)
	case verify.ReqQuery:
		return v.query(c)
	}
	v.s.Log.Warnf("unrecognized request: \"%s\", ignored", request)
	return c.Print(attr.Int(verify.AttrStatus, verify.StatBad))
}

// scan reads the rest of a request; the scanner's warning is logged.
func (v *verifier) scan(c *attr.Conn, targets ...attr.Recv) bool {
	n, err := c.Scan(attr.Strict, targets...)
	if err != nil {
		v.s.Log.Warnf("%v", err)
	}
	return err == nil && n == len(targets)
}

// cacheKey is the table key of an address: ':' would confuse IPv6
// address literals with the entry format (translit ":" "_").
func cacheKey(addr string) string { return strings.ReplaceAll(addr, ":", "_") }

// update stores a probe result (verify_update_service). A failed probe
// never replaces a cached success before it expires.
func (v *verifier) update(c *attr.Conn) error {
	var addr, text string
	var st int
	if !v.scan(c, attr.RecvStr(verify.AttrAddress, &addr), attr.RecvInt(verify.AttrRcpt, &st),
		attr.RecvStr(verify.AttrReason, &text)) {
		return nil
	}
	addr = cacheKey(addr)
	if statusName(st) == "" {
		v.s.Log.Warnf("bad recipient status %d for recipient %s", st, addr)
		return c.Print(attr.Int(verify.AttrStatus, verify.StatBad))
	}
	store := st == verify.RcptOK
	if !store {
		raw, found, _ := v.cache.Lookup(addr)
		store = !found || rawStatus(raw) != verify.RcptOK
	}
	if store {
		e := entry{status: st, updated: v.now().Unix(), text: dict.Printable(text)}
		v.cache.Update(addr, e.String())
	}
	return c.Print(attr.Int(verify.AttrStatus, verify.StatOK))
}

// query answers from the cache and sends a probe when the answer is
// missing or due for refresh (verify_query_service).
func (v *verifier) query(c *attr.Conn) error {
	var addr string
	if !v.scan(c, attr.RecvStr(verify.AttrAddress, &addr)) {
		return nil
	}
	addr = cacheKey(addr)
	now := v.now().Unix()
	raw, found, _ := v.cache.Lookup(addr)
	var e entry
	usable := false
	if found {
		var bad string
		if e, usable, bad = parseEntry(raw); !usable {
			v.s.Log.Warnf("bad address verify table entry: %s", bad)
		}
	}
	if !usable || now-e.probed > probeTTL && v.expired(e, now) {
		e = entry{status: verify.RcptTodo, text: "Address verification in progress"}
		if found && !v.cfg.negCache {
			v.cache.Delete(addr)
		}
	}
	err := c.Print(attr.Int(verify.AttrStatus, verify.StatOK), attr.Int(verify.AttrRcpt, e.status),
		attr.Str(verify.AttrReason, e.text))
	if now-e.probed > probeTTL && v.refreshDue(e, now) {
		v.sendProbe(addr)
		if e.updated != 0 || v.cfg.negCache {
			e.probed = now
			v.cache.Update(addr, e.String())
		}
	}
	return err
}

// expired: a positive or negative entry past its lifetime.
func (v *verifier) expired(e entry, now int64) bool {
	if e.status == verify.RcptOK {
		return e.updated+v.cfg.posExpire < now
	}
	return e.updated+v.cfg.negExpire < now
}

// refreshDue: time to probe again.
func (v *verifier) refreshDue(e entry, now int64) bool {
	if e.status == verify.RcptOK {
		return e.updated+v.cfg.posRefresh < now
	}
	return e.updated+v.cfg.negRefresh < now
}

// valid keeps an entry in a cleanup scan: well-formed, and a probe in
// flight or not expired (verify_cache_validator).
func (v *verifier) valid(key, raw string, at time.Time) bool {
	e, ok, bad := parseEntry(raw)
	if !ok {
		v.s.Log.Warnf("bad address verify table entry: %s", bad)
		return false
	}
	now := at.Unix()
	return now-e.probed < probeTTL || !v.expired(e, now)
}
