package main

import (
	"errors"

	"gopostfix/libglobal/util/mac"
)

// localExpand expands $user, $home, $shell, $domain, $local, $mailbox,
// $recipient, $extension and $recipient_delimiter in a local(8)
// parameter such as forward_path (local_expand). Values are filtered
// through filter (bytes not in it become '_') when it is set.
// extMatched tells that $extension was used.
func (d *delivery) localExpand(pattern string, m msgAttr, u userAttr, filter string) (string, bool, error) {
	extMatched := false
	lookup := func(name string) (string, bool) {
		switch name {
		case "user":
			return m.user, true
		case "home":
			return u.home, u.known
		case "shell":
			return u.shell, u.known
		case "domain":
			return m.domain, m.domain != ""
		case "local", "mailbox":
			return m.local, true
		case "recipient":
			return m.rcpt.Address, true
		case "extension":
			if m.extension != "" {
				extMatched = true
			}
			return m.extension, m.extension != ""
		case "recipient_delimiter":
			var delim string
			if len(m.local) > len(m.user) {
				delim = m.local[len(m.user) : len(m.user)+1]
			} else if d.a.cfg.rcptDelim != "" {
				delim = d.a.cfg.rcptDelim[:1]
			}
			return delim, delim != ""
		}
		return "", false
	}
	out, undef, err := mac.Evaluate(pattern, lookup, mac.Options{Filter: filter})
	if err == nil && undef {
		err = errUndefined
	}
	return out, extMatched, err
}

// errUndefined is MAC_PARSE_UNDEF: the pattern used a name without value.
var errUndefined = errors.New("undefined $name")
