package pgsql

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"gopostfix/libglobal/maps/sqltable"
)

// Lookup runs the query for key and joins what it returns
// (dict_pgsql_lookup).
func (t *table) Lookup(key string) (string, bool, error) {
	key, ok, err := t.Precheck(t, key, false)
	if !ok {
		return "", false, err
	}
	rows, ok := t.query(key)
	if !ok {
		return "", false, sqltable.QueryError(t, t.lastErrno)
	}
	res := t.Tmpl.NewResult(key, t.conf.expansionLimit, "dict_pgsql_lookup")
rows:
	for _, row := range rows {
		for _, v := range row {
			// libpq gives an SQL NULL as an empty string.
			if !res.Add(string(v), false) {
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
// others after a failure (plpgsql_query). rows are those of the last
// statement's result, as PQexec returns it.
func (t *table) query(key string) (rows [][][]byte, ok bool) {
	for {
		h := t.Pool.Active(t.connect, t.closeConn)
		if h == nil {
			return nil, false
		}
		c := h.Conn.(*pgconn.PgConn)
		standard := c.ParameterStatus("standard_conforming_strings") != "off"
		q, _ := t.Tmpl.ExpandQuery(key, func(s string) string { return escape(s, standard) })
		results, err := c.Exec(context.Background(), q).ReadAll()
		if err == nil {
			t.Pool.Used(h)
			if len(results) == 0 {
				return nil, true
			}
			return results[len(results)-1].Rows, true
		}
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			t.Log().Warnf("pgsql query failed: fatal error from host %s: %s", h.Label, oneLine(serverMessage(pgErr, q)))
		} else {
			t.Log().Warnf("pgsql query failed: fatal error from host %s: %s", h.Label, oneLine(fmt.Sprintf("%v\n", err)))
		}
		t.lastErrno = 0
		t.Pool.Down(h, t.closeConn)
	}
}
