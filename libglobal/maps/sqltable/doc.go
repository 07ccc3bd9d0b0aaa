// Package sqltable holds what Postfix's SQL lookup tables share
// (src/global/cfg_parser.c, db_common.c and the host handling that
// dict_mysql.c and dict_pgsql.c each carry): the client configuration,
// read from a "name = value" file or from "prefix_name" parameters of
// main.cf; the query and result templates with their %s %u %d %S %U %D
// %1..%9 expansions, key prerequisites and the "domain" filter; the
// legacy select_field/table/where_field query; the list of database
// hosts with Postfix's preference for UNIX-domain sockets, random choice
// among equals and the 60 second stay-away after a failure; and the
// joining of result rows with the expansion limit.
//
// The database clients (libglobal/maps/mysql, libglobal/maps/pgsql)
// supply the connection, the query and the quoting function.
package sqltable
