package headers

import (
	"testing"
	"time"
)

func TestMailDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 29, 14, 4, 55, 0, time.UTC), "Sun, 29 Nov 2026 14:04:55 +0000 (UTC)"},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("EST", -5*3600)), "Mon,  1 Jan 2024 00:00:00 -0500 (EST)"},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("IST", 5*3600+1800)), "Mon,  1 Jan 2024 00:00:00 +0530 (IST)"},
	}
	for _, tc := range tests {
		if got := MailDate(tc.t); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestFind(t *testing.T) {
	tab := NewTable("bcc, content-length, resent-bcc, return-path, x-drop")
	tests := []struct {
		line  string
		typ   int
		flags int
		found bool
	}{
		{"From: a", From, OptSender, true},
		{"bcc: x", Bcc, OptXRecip | OptDrop, true},
		{"To : x", To, OptXRecip, true},
		{"X-Drop: y", Other, OptDrop, true},
		{"X-Other: y", 0, 0, false},
	}
	for _, tc := range tests {
		o := tab.Find(tc.line)
		if (o != nil) != tc.found || (o != nil && (o.Type != tc.typ || o.Flags != tc.flags)) {
			t.Errorf("%q: got %+v", tc.line, o)
		}
	}
}
