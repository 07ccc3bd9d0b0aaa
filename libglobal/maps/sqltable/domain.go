package sqltable

import (
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// Domains is the optional "domain" setting: when set, only addresses in
// the listed domains are looked up (db_common_parse_domain and
// db_common_check_domain).
type Domains struct {
	list *maps.MatchList
}

// ParseDomains reads the "domain" setting of c; its patterns may name
// files and tables, opened through reg.
func ParseDomains(c *Config, reg *dict.Registry) (*Domains, error) {
	v, err := c.Str("domain", "", 0, 0)
	if err != nil || v == "" {
		return &Domains{}, err
	}
	l, err := maps.NewMatchList(reg, c.Name, v, maps.StringList, false, reg.Log)
	if err != nil {
		return nil, dict.Fatalf("db_common_parse_domain: %s: domain match list creation using '%s' failed", c.Name, v)
	}
	return &Domains{list: l}, nil
}

// Allow reports whether key may be looked up: always without a domain
// list; with one, only a key with a non-empty local part and a domain
// on the list. err is the list's lookup error.
func (d *Domains) Allow(key string) (bool, error) {
	if d.list == nil {
		return true, nil
	}
	user, domain, at := split(key)
	if !at || user == "" {
		return false, nil
	}
	return d.list.Match(domain)
}
