// Package mysql is the mysql: lookup table (Postfix's
// src/global/dict_mysql.c, as Debian's postfix-mysql builds it against
// MariaDB Connector/C), speaking the MySQL protocol through
// github.com/go-sql-driver/mysql. The configuration, templates, domain
// filter and host handling are those of libglobal/maps/sqltable.
//
// Tables are read-only. Connections are opened at the first lookup,
// UNIX-domain sockets preferred, a random host among equals; a host
// whose connection or query failed is skipped for 60 seconds, and a
// connection unused for 60 seconds is closed (at the next lookup, where
// Postfix closes it from its event loop). A lookup fails with
// dict.KindRetry when no host answers.
//
// Deliberate differences: the client library's messages are reproduced
// for the failures Postfix's tests show (a missing socket, a refused TCP
// connection, an unknown host name, the server's own errors); the errno
// that postmap prints after "query error:" is the one the C library
// leaves behind, which for server errors depends on timing (EAGAIN or
// ENOTSUP): ours is always ENOTSUP for a failed query and EAGAIN for a
// connection the server refused. Option files (option_file,
// option_group) are read for the client, client-server, client-mariadb
// and option_group groups, and give the user, socket and port when the
// table has none; the default files /etc/my.cnf and /etc/mysql/my.cnf
// are not read, nor the other client options (host, character set,
// TLS). TLS is preferred when a tls_* file or cipher setting is
// present and required with tls_verify_cert = yes (the server's name,
// or localhost for a socket, is checked); tls_ciphers itself
// is not applied.
// Quoting is mysql_real_escape_string's backslash form; servers in
// NO_BACKSLASH_ESCAPES mode are not detected.
package mysql
