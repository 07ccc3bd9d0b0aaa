package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"syscall"

	mysqldrv "github.com/go-sql-driver/mysql"

	"gopostfix/libglobal/maps/sqltable"
)

// Lookup runs the query for key and joins what it returns
// (dict_mysql_lookup).
func (t *table) Lookup(key string) (string, bool, error) {
	key, ok, err := t.Precheck(t, key, true)
	if !ok {
		return "", false, err
	}
	rows, ok := t.query(key)
	if !ok {
		return "", false, sqltable.QueryError(t, t.lastErrno)
	}
	res := t.Tmpl.NewResult(key, t.conf.expansionLimit, "dict_mysql_lookup")
rows:
	for _, row := range rows {
		for _, v := range row {
			b, isBytes := v.([]byte)
			if !res.Add(string(b), !isBytes) {
				break rows
			}
		}
	}
	if res.Exceeded {
		return "", false, sqltable.LimitError(t)
	}
	v, found := res.Value()
	return v, found, nil
}

// query sends the query for key to a host that answers, trying the
// others after a failure (plmysql_query). ok is false when no host gave
// a result; rows is the first result set (nil when there was none).
func (t *table) query(key string) (rows [][]driver.Value, ok bool) {
	for {
		h := t.Pool.Active(t.connect, t.closeConn)
		if h == nil {
			return nil, false
		}
		q, _ := t.Tmpl.ExpandQuery(key, escape)
		rows, warning := t.run(h.Conn.(driver.Conn), q)
		if warning == "" {
			t.Pool.Used(h)
			return rows, true
		}
		t.Log().Warnf("%s:%s: query failed%s", t.Type(), t.Name(), warning)
		t.lastErrno = syscall.ENOTSUP
		t.Pool.Down(h, t.closeConn)
	}
}

// run sends one query and reads every result set it produces, keeping
// the first that has columns. warning is the text after "query failed"
// of the first problem, empty on success.
func (t *table) run(c driver.Conn, q string) (first [][]driver.Value, warning string) {
	qc, ok := c.(driver.QueryerContext)
	if !ok {
		return nil, ": connection cannot run queries"
	}
	r, err := qc.QueryContext(context.Background(), q, nil)
	if err != nil {
		return nil, ": " + serverText(err)
	}
	defer r.Close()
	haveSet := false
	warn := func(text string) {
		if warning == "" {
			warning = text
		}
	}
	for {
		if cols := r.Columns(); len(cols) > 0 {
			set, err := readSet(r, len(cols))
			switch {
			case err != nil:
				warn(" (mysql_store_result): " + serverText(err))
			case !haveSet:
				first, haveSet = set, true
			default:
				warn(": multiple result sets returning data are not supported")
			}
		}
		next, ok := r.(driver.RowsNextResultSet)
		if !ok || !next.HasNextResultSet() {
			break
		}
		if err := next.NextResultSet(); err != nil {
			if err != io.EOF {
				warn(" (mysql_next_result): " + serverText(err))
			}
			break
		}
	}
	if !haveSet && t.conf.requireResultSet {
		warn(": query returned no result set(require_result_set = yes)")
	}
	if warning != "" {
		return nil, warning
	}
	return first, ""
}

// readSet reads the rows of the current result set.
func readSet(r driver.Rows, ncols int) ([][]driver.Value, error) {
	var set [][]driver.Value
	for {
		row := make([]driver.Value, ncols)
		if err := r.Next(row); err != nil {
			if err == io.EOF {
				return set, nil
			}
			return nil, err
		}
		for i, v := range row {
			if b, ok := v.([]byte); ok {
				row[i] = append([]byte(nil), b...)
			}
		}
		set = append(set, row)
	}
}

// serverText is mysql_error's text for a failed query.
func serverText(err error) string {
	var myErr *mysqldrv.MySQLError
	if errors.As(err, &myErr) {
		return myErr.Message
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "Lost connection to server during query"
	}
	return err.Error()
}
