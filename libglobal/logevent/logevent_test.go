package logevent

import (
	"testing"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
)

// TestFormatTV uses values Postfix's format_tv test program prints and
// the delays of the verified log lines in spec/delivery.md 6.
func TestFormatTV(t *testing.T) {
	tests := []struct {
		sec, usec int64
		sig, max  int
		want      string
	}{
		{0, 0, 2, 2, "0"},
		{0, 20000, 2, 2, "0.02"},
		{0, 14000, 2, 2, "0.01"},
		{0, 4999, 2, 2, "0"},
		{0, 5000, 2, 2, "0.01"},
		{1, 234567, 2, 2, "1.2"},
		{2, 10000, 2, 2, "2"},
		{9, 960000, 2, 2, "10"},
		{45, 499999, 2, 2, "45"},
		{104, 500000, 2, 2, "105"},
		{178, 0, 2, 2, "178"},
		{0, 123456, 2, 6, "0.12"},
		{0, 1234, 2, 6, "0.0012"},
		{0, 1234, 3, 6, "0.00123"},
		{0, 999999, 2, 2, "1"},
		{0, 99999, 2, 0, "0"},
		{0, 500000, 2, 0, "1"},
		{12345, 600000, 2, 2, "12346"},
	}
	for _, tt := range tests {
		if got := FormatTV(tt.sec, tt.usec, tt.sig, tt.max); got != tt.want {
			t.Errorf("FormatTV(%d, %d, %d, %d) = %q, want %q", tt.sec, tt.usec, tt.sig, tt.max, got, tt.want)
		}
	}
}

// TestDeliveryText rebuilds the verified lines of spec/delivery.md 6
// from the time stamps that produce them.
func TestDeliveryText(t *testing.T) {
	t0 := time.Unix(1795960000, 0)
	at := func(ms int64) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tests := []struct {
		name   string
		st     deliver.Stats
		now    time.Time
		r      deliver.Recipient
		relay  string
		d      dsn.DSN
		status string
		want   string
	}{
		{"local sent", deliver.Stats{IncomingArrival: t0, ActiveArrival: at(15), AgentHandoff: at(20)}, at(24),
			deliver.Recipient{Address: "dsuser1@mx.delivspec.example", OrigAddr: "dsuser1"}, "local",
			dsn.Simple("2.0.0", "delivered to mailbox"), "sent",
			"834C998A424: to=<dsuser1@mx.delivspec.example>, orig_to=<dsuser1>, relay=local, delay=0.02, delays=0.02/0.01/0/0, dsn=2.0.0, status=sent (delivered to mailbox)"},
		{"qmgr deferred", deliver.Stats{IncomingArrival: t0, ActiveArrival: at(105000)}, at(105001),
			deliver.Recipient{Address: "someone@defer.example", OrigAddr: "someone@defer.example"}, "none",
			dsn.Simple("4.4.1", "simulated deferral"), "deferred",
			"834C998A424: to=<someone@defer.example>, relay=none, delay=105, delays=105/0/0/0, dsn=4.4.1, status=deferred (simulated deferral)"},
		{"cleanup bounced", deliver.Stats{IncomingArrival: t0}, at(3),
			deliver.Recipient{Address: "dsuser1@mx.delivspec.example", OrigAddr: "DSUSER1@mx.delivspec.example"}, "none",
			dsn.Simple("5.7.1", "bad subject here"), "bounced",
			"834C998A424: to=<dsuser1@mx.delivspec.example>, relay=none, delay=0, delays=0/0/0/0, dsn=5.7.1, status=bounced (bad subject here)"},
		{"quoted, reuse", deliver.Stats{IncomingArrival: t0, ActiveArrival: at(1000), AgentHandoff: at(2000), ConnSetupDone: at(2500), ReuseCount: 2}, at(12500),
			deliver.Recipient{Address: "a b@example.com"}, "mx[192.0.2.1]:25",
			dsn.Simple("2.0.0", "250 ok"), "sent",
			`834C998A424: to=<"a b"@example.com>, relay=mx[192.0.2.1]:25, conn_use=3, delay=13, delays=1/1/0.5/10, dsn=2.0.0, status=sent (250 ok)`},
	}
	for _, tt := range tests {
		l := &Logger{ResLimit: 2, Now: func() time.Time { return tt.now }}
		if got := l.DeliveryText("834C998A424", tt.st, tt.r, tt.relay, tt.d, tt.status); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
