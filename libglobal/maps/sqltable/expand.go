package sqltable

import "strings"

// ExpandQuery expands the query template for a lookup key, quoting what
// comes from the key with quote (nil: no quoting). ok is false when the
// key lacks what the template needs (no domain for %d, too few labels
// for %3, ...) or is empty (with a warning): then there is nothing to
// look up.
func (t *Templates) ExpandQuery(key string, quote Quoter) (query string, ok bool) {
	var b strings.Builder
	if !t.expand(&b, t.Query, key, "", false, quote) {
		return "", false
	}
	return b.String(), true
}

// ExpandResult appends the result template expanded for one column value
// of a row to out, separating it from what out holds with ','. ok is
// false when the value is skipped: empty (with a warning), or without
// what the template needs.
func (t *Templates) ExpandResult(out *strings.Builder, value, key string) (ok bool) {
	return t.expand(out, t.Result, value, key, true, nil)
}

// expand is db_common_expand: value is the lookup key for a query, or a
// result value with its key for result_format.
func (t *Templates) expand(out *strings.Builder, format, value, key string, result bool, quote Quoter) bool {
	if value == "" {
		if result {
			t.log.Warnf("table \"%s:%s\": empty lookup result for: \"%s\" -- ignored", t.Type, t.Name, key)
		} else {
			t.log.Warnf("table \"%s:%s\": empty query string -- ignored", t.Type, t.Name)
		}
		return false
	}
	vuser, vdomain, _ := split(value)
	kuser, kdomain, _ := split(key)
	domainOf := vdomain
	if result {
		if unfit(value, t.flags, needValueDomain, needValueUser) {
			return false
		}
		if unfit(key, t.flags, needKeyDomain, needKeyUser) {
			t.log.Warnf("db_common_expand: %s: lookup key '%s' skipped after query", t.Name, value)
			return false
		}
		domainOf = kdomain
	} else if unfit(value, t.flags, needKeyDomain, needKeyUser) {
		return false
	}
	var parts []string
	if t.nparts > 0 {
		parts = labels(domainOf)
		if len(parts) < t.nparts {
			return false
		}
	}
	add := func(s string) {
		if quote != nil {
			s = quote(s)
		}
		out.WriteString(s)
	}
	if out.Len() > 0 {
		out.WriteByte(',')
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			out.WriteByte(c)
			continue
		}
		i++
		switch c = format[i]; c {
		case '%':
			out.WriteByte('%')
		case 's':
			add(value)
		case 'u':
			add(vuser)
		case 'd':
			add(vdomain)
		case 'S':
			if result {
				add(key)
			} else {
				add(value)
			}
		case 'U':
			if result {
				add(kuser)
			} else {
				add(vuser)
			}
		case 'D':
			add(domainOf)
		default: // '1'..'9', checked by ParseTemplates
			add(parts[len(parts)-int(c-'0')])
		}
	}
	return true
}
