package maildir

import (
	"syscall"
	"testing"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/msg"
)

func TestFailureDSN(t *testing.T) {
	tests := []struct {
		why          *mbox.Error
		status, text string
		log          string
	}{
		{&mbox.Error{Status: "4.2.0", Reason: "create maildir file /x/tmp/1: Permission denied", Errno: syscall.EACCES},
			"4.2.0", "maildir delivery failed: create maildir file /x/tmp/1: Permission denied",
			"warning: maildir access problem for UID/GID=1000/100: create maildir file /x/tmp/1: Permission denied\n" +
				"warning: perhaps you need to create the maildirs in advance\n"},
		{&mbox.Error{Status: "5.2.2", Reason: "mailbox full", Errno: syscall.EDQUOT},
			"5.2.2", "maildir delivery failed: mailbox full", ""},
		{nil, "5.3.0", "maildir delivery failed: unknown error", ""},
	}
	for _, tc := range tests {
		var capture msg.Capture
		d := FailureDSN(msg.New(&capture), 1000, 100, tc.why)
		if d.Status != tc.status || d.Reason != tc.text || capture.String() != tc.log {
			t.Errorf("FailureDSN(%+v) = %s %q, log %q; want %s %q, log %q", tc.why, d.Status, d.Reason,
				capture.String(), tc.status, tc.text, tc.log)
		}
	}
}
