package pgsql

import (
	"fmt"
	"syscall"

	"gopostfix/libglobal/maps/sqltable"
	"gopostfix/libglobal/util/dict"
)

// Type is the table type name.
const Type = "pgsql"

// Register adds the pgsql type to r.
func Register(r *dict.Registry) {
	r.Register(Type, Open)
}

// table is one open pgsql: table (DICT_PGSQL).
type table struct {
	dict.Base
	*sqltable.Table
	conf      *settings
	lastErrno syscall.Errno // what postmap shows after "query error:"
}

// settings are a table's parameters (pgsql_parse_config).
type settings struct {
	user, password, dbname string
	resultFormat           string
	expansionLimit         int
	query                  string
	hosts                  string
}

// Open opens a pgsql: table (dict_pgsql_open): read-only, configured by
// the file or main.cf prefix req.Name.
func Open(req dict.OpenRequest) (dict.Dict, error) {
	c, err := sqltable.OpenConfig(req)
	if err != nil {
		return nil, err
	}
	s, err := readSettings(c)
	if err != nil {
		return nil, err
	}
	t := &table{conf: s}
	t.Init(req, dict.FlagFixed)
	t.SetOwner(c.Owner)
	if t.Table, err = sqltable.NewTable(req, c, s.query, s.resultFormat, s.hosts, sqltable.ParsePgHost); err != nil {
		return nil, err
	}
	return t, nil
}

// readSettings reads the parameters in Postfix's order.
func readSettings(c *sqltable.Config) (*settings, error) {
	s := &settings{}
	r := &sqltable.Settings{C: c}
	r.Str(&s.user, "user", "", 0)
	r.Str(&s.password, "password", "", 0)
	r.Str(&s.dbname, "dbname", "", 1)
	r.Str(&s.resultFormat, "result_format", "%s", 1)
	if r.Err != nil {
		return nil, r.Err
	}
	if s.expansionLimit, r.Err = c.Int("expansion_limit", 0, 0, 0); r.Err != nil {
		return nil, r.Err
	}
	r.Str(&s.query, "query", "", 0)
	if r.Err == nil && s.query == "" {
		var fn string
		r.Str(&fn, "select_function", "", 0)
		if r.Err == nil && fn != "" {
			s.query = fmt.Sprintf("SELECT %s('%%s')", fn)
		} else if r.Err == nil {
			s.query, r.Err = sqltable.LegacyQuery(c)
		}
	}
	r.Str(&s.hosts, "hosts", "", 0)
	if r.Err != nil {
		return nil, r.Err
	}
	return s, nil
}

// Close closes the table's connections.
func (t *table) Close() error {
	t.Pool.CloseAll(t.closeConn)
	return nil
}
