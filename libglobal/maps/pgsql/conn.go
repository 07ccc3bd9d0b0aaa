package pgsql

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"gopostfix/libglobal/maps/sqltable"
	"gopostfix/libglobal/util/syserr"
)

// defaultPort is libpq's DEF_PGPORT.
const defaultPort = "5432"

// connectTimeout bounds one connection attempt (libpq has none by
// default; a daemon should not hang for ever on a silent host).
const connectTimeout = 60 * time.Second

// connString is the libpq keyword/value string for host h.
func (t *table) connString(h *sqltable.Host) string {
	if h.ConnString {
		return h.Addr
	}
	var b strings.Builder
	add := func(k, v string) {
		if v == "" {
			return
		}
		v = strings.ReplaceAll(v, `\`, `\\`)
		v = strings.ReplaceAll(v, `'`, `\'`)
		fmt.Fprintf(&b, "%s='%s' ", k, v)
	}
	add("host", h.Addr)
	add("port", h.Port)
	add("dbname", t.conf.dbname)
	add("user", t.conf.user)
	add("password", t.conf.password)
	return b.String()
}

// connect opens a connection to h with the LATIN1 client encoding, or
// logs why not and returns nil (plpgsql_connect_single).
func (t *table) connect(h *sqltable.Host) any {
	cfg, err := pgconn.ParseConfig(t.connString(h))
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		var c *pgconn.PgConn
		if c, err = pgconn.ConnectConfig(ctx, cfg); err == nil {
			if _, err := c.Exec(ctx, "set client_encoding to 'LATIN1'").ReadAll(); err != nil {
				t.Log().Warnf("dict_pgsql: cannot set the encoding to LATIN1, skipping %s", h.Label)
				c.Close(ctx)
				return nil
			}
			return c
		}
	}
	text, errno := connectError(h, cfg, err)
	t.lastErrno = errno
	t.Log().Warnf("connect to pgsql server %s: %s", h.Label, oneLine(text))
	return nil
}

func (t *table) closeConn(h *sqltable.Host) {
	if c, ok := h.Conn.(*pgconn.PgConn); ok {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		c.Close(ctx)
	}
}

// connectError words a connection failure as libpq does, with the errno
// it leaves behind.
func connectError(h *sqltable.Host, cfg *pgconn.Config, err error) (string, syscall.Errno) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("could not translate host name \"%s\" to address: Name or service not known\n", dnsErr.Name), 0
	}
	where := "connection to server"
	if cfg != nil {
		port := fmt.Sprint(cfg.Port)
		if strings.HasPrefix(cfg.Host, "/") {
			where = fmt.Sprintf("connection to server on socket \"%s/.s.PGSQL.%s\" failed: ", cfg.Host, port)
		} else if net.ParseIP(cfg.Host) != nil {
			where = fmt.Sprintf("connection to server at \"%s\", port %s failed: ", cfg.Host, port)
		} else {
			where = fmt.Sprintf("connection to server at \"%s\" (%s), port %s failed: ", cfg.Host, dialedIP(err), port)
		}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return where + serverMessage(pgErr, ""), 0
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return where + err.Error() + "\n", 0
	}
	if cfg != nil && strings.HasPrefix(cfg.Host, "/") {
		return where + syserr.Errno(errno) + "\n\tIs the server running locally and accepting connections on that socket?\n", errno
	}
	return where + syserr.Errno(errno) + "\n\tIs the server running on that host and accepting TCP/IP connections?\n", syscall.EINPROGRESS
}

// dialedIP is the address of a failed TCP connection attempt.
func dialedIP(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		if a, ok := op.Addr.(*net.TCPAddr); ok {
			return a.IP.String()
		}
	}
	return "?"
}
