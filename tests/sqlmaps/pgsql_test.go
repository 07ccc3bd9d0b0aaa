package sqlmaps

import "testing"

// pgLogin is the connection part of most pgsql configurations: the
// socket directory.
const pgLogin = "hosts = @PGSOCK@\nuser = pf\npassword = secret\ndbname = mail\n"

func pq(key string) []string { return []string{"-q", key, "pgsql:@TABLE@"} }

var pgCases = []postmapCase{
	{name: "found", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq("a@example.com")},
	{name: "not-found", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq("nobody@example.com")},
	{name: "multi-row", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s' ORDER BY prio\n", args: pq("multi@example.com")},
	{name: "multi-column", cf: pgLogin + "query = SELECT source, dest FROM aliases WHERE source='%s'\nresult_format = <%s>\n", args: pq("a@example.com")},
	{name: "quote", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq("q'uote@example.com")},
	{name: "backslash", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq(`back\slash@example.com`)},
	{name: "empty-result", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq("empty@example.com")},
	{name: "null-result", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq("null@example.com")},
	{name: "latin1", main: "smtputf8_enable = no\n", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\n", args: pq("latin@example.com")},
	{name: "user-domain", cf: pgLogin + "query = SELECT '%u|%d|%1|%2'\nresult_format = [%s] %U\n", args: pq("alice@example.com")},
	{name: "domain-less-key", cf: pgLogin + "query = SELECT '%d'\n", args: pq("alice")},
	{name: "expansion-limit", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\nexpansion_limit = 2\n", args: pq("multi@example.com")},
	{name: "domain-list", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\ndomain = example.com\n", args: pq("a@example.com")},
	{name: "domain-list-miss", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source='%s'\ndomain = example.org\n", args: pq("a@example.com")},
	{name: "select-function", cf: pgLogin + "select_function = upper\n", args: pq("a@example.com")},
	{name: "legacy-query", cf: pgLogin + "table = aliases\nselect_field = dest\nwhere_field = source\nadditional_conditions = ORDER BY prio\n", args: pq("multi@example.com")},
	{name: "no-query", cf: pgLogin, args: pq("a@example.com")},
	{name: "last-statement", cf: pgLogin + "query = SELECT 'first'; SELECT 'second'\n", args: pq("k")},
	{name: "command-ok", cf: pgLogin + "query = SET search_path TO public\n", args: pq("k")},
	{name: "tcp", cf: "hosts = inet:127.0.0.1:@PGPORT@\nuser = pf\npassword = secret\ndbname = mail\nquery = SELECT '%s'\n", args: pq("k")},
	{name: "uri", cf: "hosts = postgresql://pf@127.0.0.1:@PGPORT@/mail\ndbname = ignored\nquery = SELECT current_database()\n", args: pq("k")},
	{name: "unix-prefix", cf: "hosts = unix:@PGSOCK@\nuser = pf\ndbname = mail\nquery = SELECT 'ok'\n", args: pq("k")},
	{name: "failover", cf: "hosts = 127.0.0.1:@DEAD@, @PGDIR@/nodir\nuser = pf\ndbname = mail\nquery = SELECT 'ok'\n", args: pq("k")},
	{name: "socket-missing", cf: "hosts = @PGDIR@/nodir\ndbname = mail\nquery = SELECT 1\n", args: pq("k")},
	{name: "tcp-refused", cf: "hosts = 127.0.0.1:@DEAD@\ndbname = mail\nquery = SELECT 1\n", args: pq("k")},
	{name: "no-database", cf: "hosts = @PGSOCK@\nuser = pf\ndbname = nodb\nquery = SELECT 1\n", args: pq("k")},
	{name: "no-role", cf: "hosts = @PGSOCK@\nuser = nobody\ndbname = mail\nquery = SELECT 1\n", args: pq("k")},
	{name: "sql-error", cf: pgLogin + "query = SELECT dest FROM nosuch WHERE source='%s'\n", args: pq("k")},
	{name: "syntax-error", cf: pgLogin + "query = SELEC '%s'\n", args: pq("k")},
	{name: "error-hint", cf: pgLogin + "query = SELECT dest FROM aliases WHERE sourc='%s'\n", args: pq("k")},
	{name: "error-second-line", cf: pgLogin + "query = SELECT dest\n  FROM aliases WHERE nosuch = '%s'\n", args: pq("k")},
	{name: "error-long-line", cf: pgLogin + "query = SELECT dest FROM aliases WHERE source = '%s' AND prio > 0 AND prio < 100 AND nosuchcolumn = 1 AND dest IS NOT NULL AND prio <> 50\n", args: pq("k")},
	{name: "bad-template", cf: pgLogin + "query = SELECT '%x'\n", args: pq("k")},
	{name: "no-dbname", cf: "hosts = @PGSOCK@\nquery = SELECT 1\n", args: pq("k")},
	{name: "main-cf-prefix", main: "pg_hosts = @PGSOCK@\npg_user = pf\npg_dbname = mail\npg_query = SELECT dest FROM aliases WHERE source='%s'\n",
		args: []string{"-q", "a@example.com", "pgsql:pg"}},
	{name: "delete", cf: pgLogin + "query = SELECT 1\n", args: []string{"-d", "k", "pgsql:@TABLE@"}},
	{name: "bulk-create", cf: pgLogin + "query = SELECT 1\n", args: []string{"pgsql:@TABLE@"}},
}

func TestPgsqlPostmapDifferential(t *testing.T) {
	s := needPg(t)
	runCases(t, pgCases, "@PGSOCK@", s.sockDir, "@PGPORT@", pgPort, "@PGDIR@", s.dir, "@DEAD@", deadPort)
}
