package cleanup

import "testing"

func TestStatDetail(t *testing.T) {
	tests := []struct {
		status int
		smtp   int
		dsn    string
		text   string
	}{
		{StatOK, 250, "2.0.0", "Success"},
		{StatCont, 550, "5.7.1", "message content rejected"},
		{StatCont | StatDefer, 451, "4.7.1", "service unavailable"},
		{StatWrite | StatSize, 552, "5.3.4", "message file too big"},
		{StatRcpt | StatBad, 451, "4.3.0", "internal protocol error"},
		{StatHops, 554, "5.4.0", "too many hops"},
		{1 << 20, 451, "4.3.0", "unknown cleanup error"},
	}
	for _, tc := range tests {
		d := StatDetail(tc.status)
		if d.SMTP != tc.smtp || d.DSN != tc.dsn || d.Text != tc.text {
			t.Errorf("%#x: got %+v", tc.status, d)
		}
	}
}
