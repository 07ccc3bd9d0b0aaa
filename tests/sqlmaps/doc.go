// Package sqlmaps compares our SQL lookup tables with Postfix 3.7.11's
// (Debian's postfix-mysql) on one database: a MariaDB server that
// TestMain starts in a temporary directory (ports 34500-34599), and the
// same table configurations queried with the real postmap -q and ours.
// A PostgreSQL server (port 34510) does the same for the pgsql: tables.
// It needs the packages mariadb-server, postfix-mysql, postgresql and
// postfix-pgsql.
package sqlmaps
