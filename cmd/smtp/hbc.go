package main

import (
	"strings"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// hbcTable is one table list of header or body checks with the name of
// its parameter (HBC_MAP_INFO).
type hbcTable struct {
	class string
	maps  *maps.Maps
}

// hbcChecks are smtp_header_checks, smtp_mime_header_checks and
// smtp_nested_header_checks (indexed by header class - 1), or
// smtp_body_checks (index 0): the restricted header_checks(5) of
// header_body_checks.c, whose actions are only those that make sense
// while delivering: WARN, INFO, REPLACE, PREPEND, STRIP, IGNORE, DUNNO
// and OK.
type hbcChecks struct {
	tables [3]*hbcTable
}

// newHBC opens the tables of the named parameters; nil when all are
// empty (hbc_header_checks_create, hbc_body_checks_create).
func newHBC(a *agent, names ...string) (*hbcChecks, error) {
	h := &hbcChecks{}
	any := false
	for i, n := range names {
		v := p(a, n)
		if v == "" {
			continue
		}
		m, err := maps.Open(a.reg, a.par.name(n), v, dict.FlagLock, a.log)
		if err != nil {
			return nil, err
		}
		h.tables[i] = &hbcTable{class: a.par.name(n), maps: m}
		any = true
	}
	if !any {
		return nil, nil
	}
	return h, nil
}

// hbcContext receives what an action does: the log line, the text a
// PREPEND action puts before the line (HBC_CALL_BACKS), and warnings
// about bad actions.
type hbcContext interface {
	hbcLog(action, where, content, text string)
	hbcPrepend(text string) error
	warnf(format string, args ...any)
}

// hbcResult is what becomes of the inspected line.
type hbcResult int

const (
	hbcKeep    hbcResult = iota // output the line as it was
	hbcReplace                  // output the returned text instead
	hbcDrop                     // output nothing (STRIP, IGNORE)
)

// header inspects one logical header (hbc_header_checks). MIME headers
// of the primary header block are looked up in the MIME header table,
// as cleanup does.
func (h *hbcChecks) header(ctx hbcContext, class int, opts *headers.Opts, text string) (hbcResult, string, error) {
	if opts != nil && opts.Flags&headers.OptMIME != 0 {
		class = mimeMultipart
	}
	return h.check(ctx, h.tables[class-1], "header", text)
}

// body inspects one body record (hbc_body_checks).
func (h *hbcChecks) body(ctx hbcContext, text string) (hbcResult, string, error) {
	return h.check(ctx, h.tables[0], "body", text)
}

func (h *hbcChecks) check(ctx hbcContext, t *hbcTable, where, text string) (hbcResult, string, error) {
	if t == nil {
		return hbcKeep, "", nil
	}
	action, found, err := t.maps.Find(text, false)
	if err != nil {
		return hbcKeep, "", err
	}
	if !found {
		return hbcKeep, "", nil
	}
	return hbcAction(ctx, t.class, where, action, text)
}

// hbcAction carries out an action (hbc_action); the action word is
// matched without regard to case, its text follows after white space.
func hbcAction(ctx hbcContext, class, where, action, line string) (hbcResult, string, error) {
	n := strings.IndexAny(action, " \t")
	if n < 0 {
		n = len(action)
	}
	args := strings.TrimLeft(action[n:], " \t\r\n\v\f")
	switch strings.ToUpper(action[:n]) {
	case "WARN":
		ctx.hbcLog("warning", where, line, args)
	case "INFO":
		ctx.hbcLog("info", where, line, args)
	case "REPLACE":
		switch {
		case args == "":
			ctx.warnf("REPLACE action without text in %s map", class)
		case where == "header" && !headers.IsHeader(args):
			ctx.warnf("bad REPLACE header text \"%s\" in %s map -- need \"headername: headervalue\"", args, class)
		default:
			ctx.hbcLog("replace", where, line, args)
			return hbcReplace, args, nil
		}
	case "PREPEND":
		switch {
		case args == "":
			ctx.warnf("PREPEND action without text in %s map", class)
		case where == "header" && !headers.IsHeader(args):
			ctx.warnf("bad PREPEND header text \"%s\" in %s map -- need \"headername: headervalue\"", args, class)
		default:
			ctx.hbcLog("prepend", where, line, args)
			if err := ctx.hbcPrepend(args); err != nil {
				return hbcKeep, "", err
			}
		}
	case "STRIP":
		ctx.hbcLog("strip", where, line, args)
		return hbcDrop, "", nil
	case "IGNORE":
		return hbcDrop, "", nil
	case "DUNNO", "OK":
	default:
		ctx.warnf("unsupported command in %s map: %s", class, action)
	}
	return hbcKeep, "", nil
}
