package params

import (
	"testing"

	"gopostfix/libglobal/util/mac"
)

func TestCompatLevel(t *testing.T) {
	good := []struct {
		a, b string
		op   mac.Op
		want bool
	}{
		{"0", "2", mac.LT, true},
		{"2", "2.0.0", mac.EQ, true},
		{"3.6", "3.10", mac.LT, true},
		{"3.6.1", "3.6", mac.GT, true},
		{"3.7", "3.6", mac.GE, true},
		{" 3", "3", mac.EQ, true},
		{"+1", "1", mac.NE, false},
		{"1023.1023.1023", "1024", mac.LT, true},
	}
	for _, tt := range good {
		got, err := LevelRelop(tt.a, tt.op, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("%s %s %s = %v, %v", tt.a, tt.op, tt.b, got, err)
		}
	}
	for _, bad := range []string{"", "x", "3.", "3.6.", "3.6.1.2", "3.1024", "3.1.1024", "-1", "3 ", "0x3", "3.-1", "99999999999999999999"} {
		if _, err := ParseCompatLevel(bad); err == nil || err.Error() != `malformed compatibility level syntax: "`+bad+`"` {
			t.Errorf("ParseCompatLevel(%q) error = %v", bad, err)
		}
	}
}
