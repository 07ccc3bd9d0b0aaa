package pgsql

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestEscape(t *testing.T) {
	if got := escape(`o'k\x`, true); got != `o''k\x` {
		t.Errorf("standard: %q", got)
	}
	if got := escape(`o'k\x`, false); got != `o''k\\x` {
		t.Errorf("not standard: %q", got)
	}
}

// TestServerMessage checks libpq's layout, as psql 15 prints it for the
// same queries and positions.
func TestServerMessage(t *testing.T) {
	long := "SELECT dest FROM aliases WHERE source = 'k' AND prio > 0 AND prio < 100 AND nosuchcolumn = 1 AND dest IS NOT NULL AND prio <> 50"
	tests := []struct {
		err   pgconn.PgError
		query string
		want  string
	}{
		{pgconn.PgError{Severity: "ERROR", Message: `syntax error at or near "SELEC"`, Position: 1}, "SELEC 1",
			"ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n"},
		{pgconn.PgError{Severity: "ERROR", Message: "m", Position: 18}, "SELECT 1; SELECT x",
			"ERROR:  m\nLINE 1: SELECT 1; SELECT x\n                         ^\n"},
		{pgconn.PgError{Severity: "ERROR", Message: "m", Position: 20}, "SELECT dest\n  FROM t WHERE\tnosuch = 1;",
			"ERROR:  m\nLINE 2:   FROM t WHERE nosuch = 1;\n               ^\n"},
		{pgconn.PgError{Severity: "ERROR", Message: "m", Position: int32(strings.Index(long, "nosuch") + 1)}, long,
			"ERROR:  m\nLINE 1: ...HERE source = 'k' AND prio > 0 AND prio < 100 AND nosuchcolu...\n" +
				strings.Repeat(" ", 61) + "^\n"},
		{pgconn.PgError{Severity: "FATAL", Message: "m", Detail: "d", Hint: "h", Where: "w"}, "",
			"FATAL:  m\nDETAIL:  d\nHINT:  h\nCONTEXT:  w\n"},
	}
	for _, tc := range tests {
		if got := serverMessage(&tc.err, tc.query); got != tc.want {
			t.Errorf("%q at %d:\ngot  %q\nwant %q", tc.query, tc.err.Position, got, tc.want)
		}
	}
}

func FuzzPositionMarker(f *testing.F) {
	f.Add("SELECT 1;\r\nSELECT\tx", 15)
	f.Add(strings.Repeat("x", 200), 150)
	f.Add("", 1)
	f.Fuzz(func(t *testing.T, query string, loc int) {
		out := positionMarker(query, loc)
		if out != "" && !strings.HasSuffix(out, "^\n") {
			t.Fatalf("no marker: %q", out)
		}
	})
}
