// Package dsn holds Postfix's delivery status records: the DSN structure
// every delivery agent, qmgr and the bounce client pass around
// (src/global/dsn.c, dsn.h), the enhanced status code checks and the
// "X.Y.Z text" splitting of dsn_util.c, and the attribute form in which a
// DSN travels between processes (dsn_print.c, dsn_buf.c's dsb_scan).
//
// Unavailable fields are empty strings, as in Postfix 2.3 and later.
package dsn
