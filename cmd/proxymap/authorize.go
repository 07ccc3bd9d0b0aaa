package main

import (
	"strings"

	"gopostfix/libglobal/mailconf"
)

// authorize approves every proxy:type:name in the parameter value,
// looking inside {...} groups and the {...} members of unionmap: and
// pipemap: tables (authorize_proxied_maps).
func (p *proxy) authorize(value string) {
	for _, item := range splitQuoted(value) {
		if strings.HasPrefix(item, "{") {
			inner, ok := braced(item)
			if !ok {
				p.log.Warnf("bad %s parameter value: %s", p.param, "missing '}' in \""+item+"\"")
				continue
			}
			words := splitQuoted(inner)
			if len(words) == 0 {
				continue
			}
			item = words[0]
		}
		if nested, ok := nestedTables(item); ok {
			if !strings.HasPrefix(nested, "{") {
				continue
			}
			inner, ok := braced(nested)
			if !ok {
				p.log.Warnf("bad %s parameter value: %s", p.param, "missing '}' in \""+nested+"\"")
				continue
			}
			p.authorize(inner)
			continue
		}
		if !strings.HasPrefix(item, "proxy:") {
			continue
		}
		for strings.HasPrefix(item, "proxy:") {
			item = item[len("proxy:"):]
		}
		if strings.Contains(item, ":") && !p.auth[item] {
			p.auth[item] = true
			p.log.Debugf("allowlisting %s from %s", item, p.param)
		}
	}
}

// nestedTables returns the part after "unionmap:" or "pipemap:".
func nestedTables(s string) (string, bool) {
	for _, t := range []string{"unionmap:", "pipemap:"} {
		if strings.HasPrefix(s, t) {
			return s[len(t):], true
		}
	}
	return "", false
}

// braced strips the outer braces and surrounding blanks of "{ ... }".
func braced(s string) (string, bool) {
	if !strings.HasSuffix(s, "}") {
		return "", false
	}
	return strings.TrimSpace(s[1 : len(s)-1]), true
}

// splitQuoted splits on commas and white space outside braces
// (mystrtokq).
func splitQuoted(s string) []string { return mailconf.SplitList(s) }
