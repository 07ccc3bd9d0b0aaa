package smtpd

import (
	"strings"
	"testing"
)

// TestQueueMinFree checks smtpd_check_queue's two limits, in whole
// blocks: queue_minfree and 1.5 times message_size_limit.
func TestQueueMinFree(t *testing.T) {
	for _, tc := range []struct {
		minfree, limit string
		free           uint64 // 4096-byte blocks
		reject         bool
	}{
		{"0", "10240000", 10000, false},
		{"0", "10240000", 3750, true},  // 2500 blocks >= 3750/1.5
		{"0", "10240000", 3751, false}, // 2500 < 3751/1.5
		{"40960", "0", 10, true},       // 10 blocks >= 10
		{"40960", "0", 11, false},
		{"999999999999999", "0", 1 << 30, true},
	} {
		p := baseParams()
		p["queue_minfree"] = tc.minfree
		p["message_size_limit"] = tc.limit
		deps := newTestDeps(nil, []string{"mx.example.com"})
		deps.FreeSpace = func() (uint64, uint64) { return 4096, tc.free }
		replies, log := chat(t, p, deps, Client{Name: "c.example", Addr: "127.0.0.1", Port: "4000"},
			"HELO h.example", "MAIL FROM:<s@x.example>", "QUIT")
		got := replies[2]
		want := "250 2.1.0 Ok"
		if tc.reject {
			want = "452 4.3.1 Insufficient system storage"
		}
		if got != want {
			t.Errorf("%+v: MAIL answered %q, want %q", tc, got, want)
		}
		if tc.reject && !strings.Contains(strings.Join(log, "\n"),
			"NOQUEUE: reject: MAIL from c.example[127.0.0.1]: 452 4.3.1 Insufficient system storage; proto=SMTP helo=<h.example>") {
			t.Errorf("%+v: log:\n%s", tc, strings.Join(log, "\n"))
		}
	}
}
