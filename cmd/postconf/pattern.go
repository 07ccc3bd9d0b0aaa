package main

import (
	"strings"

	"gopostfix/libglobal/mastercf"
)

// servicePattern is a parsed "service/type[/field-or-parameter]"
// selector; "*" matches anything.
type servicePattern []string

// parseServicePattern splits pattern at "/" (empty parts vanish, as with
// Postfix's argv_split), requires min..max parts, allows "*" only as a
// whole part, and pads missing parts with "*". It returns nil when the
// pattern does not fit.
func parseServicePattern(pattern string, min, max int) servicePattern {
	if strings.HasPrefix(pattern, "/") {
		return nil
	}
	var parts []string
	for _, p := range strings.Split(pattern, "/") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) < min || len(parts) > max {
		return nil
	}
	for _, p := range parts {
		if p != "*" && strings.Contains(p, "*") {
			return nil
		}
	}
	for len(parts) < max {
		parts = append(parts, "*")
	}
	return parts
}

func matchPart(pattern, s string) bool { return pattern == "*" || pattern == s }

// matches reports whether the service name and type fit the pattern.
func (p servicePattern) matches(name, typ string) bool {
	return matchPart(p[0], name) && matchPart(p[1], typ)
}

// parseFieldPattern returns the field index for a -F field name, -1 for
// "*", or dies with postconf's complaint.
func (pc *postconf) parseFieldPattern(name string) int {
	if name == "*" {
		return -1
	}
	f, ok := mastercf.FieldIndex(name)
	if !ok {
		pc.log.Fatalf("invalid service attribute name: \"%s\"", name)
	}
	return f
}
