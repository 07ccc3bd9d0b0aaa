package mysql

import (
	"syscall"

	"gopostfix/libglobal/maps/sqltable"
	"gopostfix/libglobal/util/dict"
)

// Type is the table type name.
const Type = "mysql"

// Register adds the mysql type to r.
func Register(r *dict.Registry) {
	r.Register(Type, Open)
}

// table is one open mysql: table (DICT_MYSQL).
type table struct {
	dict.Base
	conf      *settings
	tmpl      *sqltable.Templates
	domains   *sqltable.Domains
	pool      *sqltable.Pool
	connector connector
	// lastErrno is the errno of the last failure, what postmap shows
	// after "query error:".
	lastErrno syscall.Errno
}

// Open opens a mysql: table (dict_mysql_open): read-only, configured by
// the file or main.cf prefix req.Name.
func Open(req dict.OpenRequest) (dict.Dict, error) {
	if !dict.ReadOnly(req.Mode) {
		return nil, dict.Configf("%s:%s map requires O_RDONLY access mode", req.Type, req.Name)
	}
	var params func(string) (string, bool)
	if req.Registry != nil {
		params = req.Registry.Params
	}
	c, err := sqltable.LoadConfig(req.Name, params, req.Log())
	if err != nil {
		return nil, err
	}
	s, err := readSettings(c)
	if err != nil {
		return nil, err
	}
	t := &table{conf: s, connector: driverConnector{}}
	t.Init(req, dict.FlagFixed)
	t.SetOwner(c.Owner)
	if t.tmpl, err = sqltable.ParseTemplates(req.Type, req.Name, s.query, s.resultFormat, req.Log()); err != nil {
		return nil, err
	}
	reg := req.Registry
	if reg == nil {
		reg = dict.NewRegistry(req.Log())
	}
	if t.domains, err = sqltable.ParseDomains(c, reg); err != nil {
		return nil, err
	}
	t.pool = sqltable.NewPool(s.hosts, true)
	return t, nil
}

// Close closes the table's connections.
func (t *table) Close() error {
	t.pool.CloseAll(t.closeConn)
	return nil
}
