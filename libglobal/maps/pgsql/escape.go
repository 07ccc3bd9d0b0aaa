package pgsql

import "strings"

// escape quotes a string for a query as PQescapeStringConn does:
// single quotes doubled, and backslashes too when the server does not
// use standard-conforming strings.
func escape(s string, standard bool) string {
	s = strings.ReplaceAll(s, "'", "''")
	if !standard {
		s = strings.ReplaceAll(s, `\`, `\\`)
	}
	return s
}
