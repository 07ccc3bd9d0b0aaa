package maps

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// ListKind selects how a pattern list compares its entries
// (string_list vs domain_list in Postfix).
type ListKind int

const (
	// StringList compares whole strings; tables are asked for the string
	// itself (string_list, match_string). mydestination and the virtual
	// domain lists are string lists.
	StringList ListKind = iota
	// DomainList also matches subdomains: a table is asked for the name
	// and its parent domains, a plain pattern matches its subdomains when
	// the list is named in parent_domain_matches_subdomains or when it
	// starts with '.' (domain_list, match_hostname).
	DomainList
	// AddrList matches IP addresses: a pattern is an address, an
	// "[address]" or a network ("net/len", "[net]/len"), a table is asked
	// for the address (addr_match_list, match_hostaddr). A string that is
	// not an address text matches nothing. mynetworks as postscreen and
	// server access lists see it, postscreen_allowlist_interfaces.
	AddrList
)

// MatchList is a parameter's list of patterns: names, "type:table"
// lookups, "/file/name" includes, each optionally negated with '!'
// (match_list.c).
type MatchList struct {
	Name   string // parameter name, for messages
	kind   ListKind
	parent bool // MATCH_FLAG_PARENT
	pats   []pattern
}

type pattern struct {
	negate bool
	text   string    // case-folded, for plain patterns
	table  dict.Dict // for type:table patterns
	label  string    // type:name of the table
}

// NewMatchList parses the patterns of parameter name. parent is true when
// the name is listed in parent_domain_matches_subdomains.
func NewMatchList(reg *dict.Registry, name, patterns string, kind ListKind, parent bool, log *msg.Logger) (*MatchList, error) {
	l := &MatchList{Name: name, kind: kind, parent: parent}
	if err := l.parse(reg, patterns, false, log); err != nil {
		return nil, err
	}
	return l, nil
}

// isDictionary is MATCH_DICTIONARY: a "type:name" that is not an address
// literal.
func isDictionary(p string) bool {
	return p != "" && p[0] != '[' && strings.Contains(p, ":")
}

func (l *MatchList) parse(reg *dict.Registry, patterns string, negated bool, log *msg.Logger) error {
	items := dict.TokensQ(patterns, dict.CommaSpace, "{}")
	for i, item := range items {
		if item[0] == '#' {
			log.Warnf("%s: comment at end of line is not supported: %s", l.Name, strings.Join(items[i:], " "))
			break
		}
		neg := negated
		for item != "" && item[0] == '!' {
			neg = !neg
			item = item[1:]
		}
		switch {
		case item == "":
			return fmt.Errorf("%s: no pattern after '!'", l.Name)
		case item[0] == '/':
			f, err := os.Open(item)
			if err != nil && !reg.AllowSurrogate {
				// Only daemons degrade gracefully (dict_allow_surrogate);
				// a command dies with the reason.
				return fmt.Errorf("open file %s: %s", item, dict.ErrnoText(err))
			}
			if err != nil {
				sur := dict.NewSurrogate(dict.OpenRequest{Registry: reg, Type: "non-existent", Name: item},
					fmt.Sprintf("open file %s: %s", item, dict.ErrnoText(err)))
				l.pats = append(l.pats, pattern{negate: neg, table: sur, label: "non-existent:" + item})
				continue
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if line := sc.Text(); !strings.HasPrefix(line, "#") {
					if err := l.parse(reg, line, neg, log); err != nil {
						f.Close()
						return err
					}
				}
			}
			f.Close()
		case isDictionary(item):
			d, err := reg.Shared(item, os.O_RDONLY, dict.FlagLock|dict.FlagUTF8Request)
			if err != nil {
				return fmt.Errorf("%s: %w", l.Name, err)
			}
			l.pats = append(l.pats, pattern{negate: neg, table: d, label: item})
		default:
			l.pats = append(l.pats, pattern{negate: neg, text: strings.ToLower(item)})
		}
	}
	return nil
}

// Match reports whether s matches the list: the first matching pattern
// decides (a negated one says no). A table lookup error is returned.
func (l *MatchList) Match(s string) (bool, error) {
	if l == nil {
		return false, nil
	}
	s = strings.ToLower(s)
	if l.kind == AddrList && !onlyChars(s, v6AddrChars) {
		return false, nil
	}
	for _, p := range l.pats {
		ok, err := l.matchOne(p, s)
		if err != nil {
			return false, err
		}
		if ok {
			return !p.negate, nil
		}
	}
	return false, nil
}

func (l *MatchList) matchOne(p pattern, s string) (bool, error) {
	if p.table != nil {
		return l.matchTable(p, s)
	}
	if l.kind == AddrList {
		return l.matchAddr(p, s)
	}
	if s == p.text {
		return true, nil
	}
	if l.kind == StringList {
		return false, nil
	}
	if l.parent {
		pd := len(s) - len(p.text)
		return pd > 0 && s[pd-1] == '.' && s[pd:] == p.text, nil
	}
	if strings.HasPrefix(p.text, ".") {
		pd := len(s) - len(p.text)
		return pd > 0 && s[pd:] == p.text, nil
	}
	return false, nil
}

func (l *MatchList) matchTable(p pattern, s string) (bool, error) {
	lookup := func(key string) (bool, error) {
		_, ok, err := p.table.Lookup(key)
		if err != nil {
			return false, fmt.Errorf("%s: %s: table lookup problem", l.Name, p.label)
		}
		return ok, nil
	}
	if l.kind != DomainList {
		return lookup(s)
	}
	fixed := p.table.Flags()&dict.FlagFixed != 0
	for entry := s; entry != ""; {
		if entry == s || fixed {
			if ok, err := lookup(entry); ok || err != nil {
				return ok, err
			}
		}
		next := strings.IndexByte(entry[1:], '.')
		if next < 0 {
			break
		}
		entry = entry[1+next:]
		if l.parent {
			entry = entry[1:]
		}
	}
	return false, nil
}
