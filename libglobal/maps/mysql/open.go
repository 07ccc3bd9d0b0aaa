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
	*sqltable.Table
	conf      *settings
	connector connector
	// lastErrno is the errno of the last failure, what postmap shows
	// after "query error:".
	lastErrno syscall.Errno
}

// Open opens a mysql: table (dict_mysql_open): read-only, configured by
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
	t := &table{conf: s, connector: driverConnector{}}
	t.Init(req, dict.FlagFixed)
	t.SetOwner(c.Owner)
	t.Table, err = sqltable.NewTable(req, c, s.query, s.resultFormat, s.hosts,
		func(e string) *sqltable.Host { return sqltable.ParseHost(e, true) })
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Close closes the table's connections.
func (t *table) Close() error {
	t.Pool.CloseAll(t.closeConn)
	return nil
}
