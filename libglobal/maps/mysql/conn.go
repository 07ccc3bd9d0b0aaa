package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	mysqldrv "github.com/go-sql-driver/mysql"

	"gopostfix/libglobal/maps/sqltable"
)

// DefaultSocket and DefaultPort are where Debian's MariaDB client goes
// when a host names neither (MARIADB_UNIX_ADDR, MYSQL_PORT).
const (
	DefaultSocket = "/run/mysqld/mysqld.sock"
	DefaultPort   = "3306"
)

// connector opens connections; tests may replace it.
type connector interface {
	connect(ctx context.Context, cfg *mysqldrv.Config) (driver.Conn, error)
}

type driverConnector struct{}

func (driverConnector) connect(ctx context.Context, cfg *mysqldrv.Config) (driver.Conn, error) {
	c, err := mysqldrv.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return c.Connect(ctx)
}

// quietLogger keeps the driver from writing to standard error.
type quietLogger struct{}

func (quietLogger) Print(...any) {}

// driverConfig is the connection configuration for host h, with the
// option file's user, socket and port where the table has none.
func (t *table) driverConfig(h *sqltable.Host, opts options) *mysqldrv.Config {
	cfg := mysqldrv.NewConfig()
	cfg.Logger = quietLogger{}
	cfg.User = firstSet(t.conf.user, opts["user"])
	// Postfix passes the password and the database always, even
	// empty: the client library takes only an empty user, port or
	// socket from the option file.
	cfg.Passwd = t.conf.password
	cfg.DBName = t.conf.dbname
	if h.Unix {
		cfg.Net = "unix"
		cfg.Addr = firstSet(h.Addr, opts["socket"], DefaultSocket)
	} else {
		cfg.Net = "tcp"
		cfg.Addr = net.JoinHostPort(h.Addr, firstSet(portOf(h.Port), opts["port"], DefaultPort))
	}
	t.applyTLS(cfg, firstSet(h.Addr, "localhost"))
	return cfg
}

// portOf is find_inet_port: a number, or a service name looked up.
func portOf(p string) string {
	if p == "" {
		return ""
	}
	if _, err := strconv.Atoi(p); err == nil {
		return p
	}
	if n, err := net.LookupPort("tcp", p); err == nil {
		return strconv.Itoa(n)
	}
	return p
}

func firstSet(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// connect opens a connection to h, or logs why not and returns nil
// (plmysql_connect_single).
func (t *table) connect(h *sqltable.Host) any {
	opts, err := t.options()
	if err == nil {
		var c driver.Conn
		if c, err = t.connector.connect(context.Background(), t.driverConfig(h, opts)); err == nil {
			return c
		}
	}
	text, errno := connectError(h, t.driverConfig(h, opts), err)
	t.lastErrno = errno
	t.Log().Warnf("connect to mysql server %s: %s", h.Label, text)
	return nil
}

func (t *table) closeConn(h *sqltable.Host) {
	if c, ok := h.Conn.(driver.Conn); ok {
		c.Close()
	}
}

// connectError words a connection failure as MariaDB Connector/C does,
// with the errno it leaves behind.
func connectError(h *sqltable.Host, cfg *mysqldrv.Config, err error) (string, syscall.Errno) {
	var myErr *mysqldrv.MySQLError
	if errors.As(err, &myErr) {
		return myErr.Message, syscall.EAGAIN
	}
	if errors.Is(err, mysqldrv.ErrNoTLS) {
		errno := syscall.EINPROGRESS
		if h.Unix {
			errno = syscall.EAGAIN
		}
		return "TLS/SSL error: SSL is required, but the server does not support it", errno
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return fmt.Sprintf("Unknown server host '%s' (-2)", h.Addr), syscall.ENOENT
		}
		return fmt.Sprintf("Unknown server host '%s' (-3)", h.Addr), syscall.EAGAIN
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		errno = syscall.EIO
	}
	if h.Unix {
		return fmt.Sprintf("Can't connect to local server through socket '%s' (%d)", cfg.Addr, int(errno)), errno
	}
	// Connector/C connects without blocking: the errno is the one of
	// the pending connect, whatever getsockopt says after it.
	return fmt.Sprintf("Can't connect to server on '%s' (%d)", h.Addr, int(syscall.EINPROGRESS)), syscall.EINPROGRESS
}
