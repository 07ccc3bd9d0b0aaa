package sqltable

import (
	"gopostfix/libglobal/util/dict"
)

// Table is what every SQL table holds besides its connections: the
// templates, the domain filter and the hosts.
type Table struct {
	Tmpl    *Templates
	Domains *Domains
	Pool    *Pool
}

// OpenConfig starts opening an SQL table: the table must be opened
// read-only, and its configuration is read from the file or main.cf
// prefix req.Name.
func OpenConfig(req dict.OpenRequest) (*Config, error) {
	if !dict.ReadOnly(req.Mode) {
		return nil, dict.Configf("%s:%s map requires O_RDONLY access mode", req.Type, req.Name)
	}
	var params func(string) (string, bool)
	if req.Registry != nil {
		params = req.Registry.Params
	}
	return LoadConfig(req.Name, params, req.Log())
}

// NewTable parses the templates and the domain list of c and the hosts,
// each entry with parseHost.
func NewTable(req dict.OpenRequest, c *Config, query, result, hosts string, parseHost func(string) *Host) (*Table, error) {
	tmpl, err := ParseTemplates(req.Type, req.Name, query, result, req.Log())
	if err != nil {
		return nil, err
	}
	reg := req.Registry
	if reg == nil {
		reg = dict.NewRegistry(req.Log())
	}
	domains, err := ParseDomains(c, reg)
	if err != nil {
		return nil, err
	}
	return &Table{Tmpl: tmpl, Domains: domains, Pool: NewPool(hosts, parseHost)}, nil
}

// Precheck does what comes before a query: the key folded when d asks
// for it, the domain filter (a failed match is a retry error, logged
// with the filter's warning and, when domainWarning is set, the one
// dict_mysql adds), and the key's fitness for the query template. ok
// is false when there is nothing to look up.
func (t *Table) Precheck(d dict.Dict, key string, domainWarning bool) (folded string, ok bool, err error) {
	if d.Flags()&dict.FlagFoldFix != 0 {
		key = dict.ASCIILower(key)
	}
	allow, err := t.Domains.Allow(key)
	if err != nil {
		log := d.Common().Log()
		log.Warnf("%s", err)
		if domainWarning {
			log.Warnf("%s:%s 'domain' pattern match failed for '%s'", d.Type(), d.Name(), key)
		}
		return "", false, &dict.Error{Kind: dict.KindRetry, Msg: err.Error(), Err: err}
	}
	if !allow {
		return "", false, nil
	}
	// This expansion only checks that the key fits the template; the
	// query sent is quoted for the connection it goes to.
	if _, ok := t.Tmpl.ExpandQuery(key, nil); !ok {
		return "", false, nil
	}
	return key, true, nil
}

// QueryError is the error of a lookup that no host answered, with the
// errno the C client library would have left behind.
func QueryError(d dict.Dict, errno error) error {
	return &dict.Error{Kind: dict.KindRetry, Err: errno, Msg: d.Type() + ":" + d.Name() + ": query error"}
}

// LimitError is the error of a lookup whose result exceeded
// expansion_limit.
func LimitError(d dict.Dict) error {
	return &dict.Error{Kind: dict.KindRetry, Msg: d.Type() + ":" + d.Name() + ": expansion limit exceeded"}
}

// Settings reads string settings one after another, keeping the first
// error (so that the first bad setting is the one reported).
type Settings struct {
	C   *Config
	Err error
}

// Str reads a string setting into dst unless an earlier one failed.
func (s *Settings) Str(dst *string, name, def string, min int) {
	if s.Err == nil {
		*dst, s.Err = s.C.Str(name, def, min, 0)
	}
}
