// Package pgsql is the pgsql: lookup table (Postfix's
// src/global/dict_pgsql.c, as Debian's postfix-pgsql builds it against
// libpq), speaking the PostgreSQL protocol through
// github.com/jackc/pgx/v5/pgconn. The configuration, templates, domain
// filter and host handling are those of libglobal/maps/sqltable.
//
// Tables are read-only. Hosts are socket directories ("/run/postgresql",
// "unix:/dir"), "host" or "inet:host:port" entries, or "postgresql://"
// connection URIs, tried in that order of kinds, a random host among
// equals; a failed host is skipped for 60 seconds. Connections use the
// LATIN1 client encoding, as Postfix 3.7 sets it, so values reach the
// program as LATIN1 bytes. A query that sends several statements
// returns the result of the last one, as PQexec does; an SQL NULL is an
// empty value.
//
// Deliberate differences: libpq's messages are reproduced for the
// failures that show in practice (a missing socket, a refused
// connection, an unknown host name, the server's errors with libpq's
// "LINE n:" position marker, DETAIL, HINT and CONTEXT lines); a name
// that resolves to several addresses is reported for the last one
// tried only.
package pgsql
