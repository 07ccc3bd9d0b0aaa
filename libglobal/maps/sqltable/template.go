package sqltable

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// What the templates need of a lookup key or a result (db_common's
// DB_COMMON_* flags).
const (
	needKeyDomain   = 1 << iota // the key's domain: %d in the query, %D, %1..%9
	needKeyUser                 // the key's local part: %u in the query, %U
	needValueDomain             // the result's domain: %d in result_format
	needValueUser               // the result's local part: %u in result_format
)

// Quoter escapes a key or key part for inclusion in a query (the
// server's string escape function).
type Quoter func(s string) string

// Templates is the parsed query and result_format of one table with the
// prerequisites they put on keys and results (db_common's context).
type Templates struct {
	Type, Name string // the table, for messages
	Query      string
	Result     string
	flags      int
	nparts     int // highest %1..%9 label number used
	log        *msg.Logger
}

// ParseTemplates checks the query and result templates and records what
// they use. An unknown %-sequence is fatal, with Postfix's text.
func ParseTemplates(typ, name, query, result string, log *msg.Logger) (*Templates, error) {
	t := &Templates{Type: typ, Name: name, Query: query, Result: result, log: log}
	if err := t.parse(query, true); err != nil {
		return nil, err
	}
	if err := t.parse(result, false); err != nil {
		return nil, err
	}
	return t, nil
}

// parse notes the %-sequences of one template (db_common_parse).
func (t *Templates) parse(format string, query bool) error {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		var c byte
		if i < len(format) {
			c = format[i]
		}
		switch {
		case c == '%', c == 's', c == 'S':
		case c == 'u' && query:
			t.flags |= needKeyUser
		case c == 'u':
			t.flags |= needValueUser
		case c == 'd' && query:
			t.flags |= needKeyDomain
		case c == 'd':
			t.flags |= needValueDomain
		case c == 'U':
			t.flags |= needKeyUser
		case c >= '1' && c <= '9':
			t.nparts = max(t.nparts, int(c-'0'))
			t.flags |= needKeyDomain
		case c == 'D':
			t.flags |= needKeyDomain
		default:
			kind := "result"
			if query {
				kind = "query"
			}
			return dict.Fatalf("db_common_parse: %s: Invalid %s template: %s", t.Name, kind, format)
		}
	}
	return nil
}

// LegacyQuery builds the query of the old style settings, "SELECT
// select_field FROM table WHERE where_field='%s' additional_conditions"
// (db_common_sql_build_query).
func LegacyQuery(c *Config) (string, error) {
	var fields [3]string
	for i, name := range []string{"table", "select_field", "where_field"} {
		// An unset name fails the length check, so that Postfix's
		// "parameter not defined" message is never reached.
		v, err := c.Str(name, "", 1, 0)
		if err != nil {
			return "", err
		}
		fields[i] = v
	}
	cond, err := c.Str("additional_conditions", "", 0, 0)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s='%%s' %s", fields[1], fields[0], fields[2], cond), nil
}

// split returns the part after the last '@' (ok false when there is
// none) and the part before it.
func split(s string) (user, domain string, ok bool) {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s, "", false
	}
	return s[:at], s[at+1:], true
}

// labels splits a domain at '.', dropping empty labels as argv_split
// does.
func labels(domain string) []string {
	var parts []string
	for _, p := range strings.Split(domain, ".") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// unfit reports whether s lacks what the flags ask of it: a domain (a
// non-empty part after the last '@') or a local part (a non-empty part
// before it, when there is an '@').
func unfit(s string, flags, domainFlag, userFlag int) bool {
	user, domain, at := split(s)
	if flags&domainFlag != 0 && domain == "" {
		return true
	}
	return at && user == "" && flags&userFlag != 0
}
