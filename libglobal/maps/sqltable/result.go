package sqltable

import "strings"

// Result gathers the values of a query's rows, each expanded with
// result_format and joined with ',', stopping at expansion_limit.
type Result struct {
	t      *Templates
	key    string
	limit  int
	caller string // the lookup function named in the limit warning
	n      int
	b      strings.Builder
	// Exceeded is set when more values than expansion_limit expanded.
	Exceeded bool
}

// NewResult starts the result of a lookup of key. caller names the
// client's lookup function in the expansion limit warning
// ("dict_mysql_lookup"); limit 0 means no limit.
func (t *Templates) NewResult(key string, limit int, caller string) *Result {
	return &Result{t: t, key: key, limit: limit, caller: caller}
}

// Add expands one column value (null: an SQL NULL, skipped silently)
// and reports whether more values may follow: false once the limit was
// exceeded (with a warning).
func (r *Result) Add(value string, null bool) bool {
	if r.Exceeded {
		return false
	}
	if null {
		return true
	}
	// C strings end at the first NUL byte.
	if i := strings.IndexByte(value, 0); i >= 0 {
		value = value[:i]
	}
	if r.t.ExpandResult(&r.b, value, r.key) && r.limit > 0 {
		if r.n++; r.n > r.limit {
			r.t.log.Warnf("%s: %s: Expansion limit exceeded for key: '%s'", r.caller, r.t.Name, r.key)
			r.Exceeded = true
			return false
		}
	}
	return true
}

// Value returns the joined result; ok is false when it is empty.
func (r *Result) Value() (string, bool) {
	return r.b.String(), r.b.Len() > 0
}
