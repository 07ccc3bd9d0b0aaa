package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/util/msg"
)

// TestNoticeWithoutCleanup checks that a notice that cannot reach the
// cleanup service is dropped with post_mail_fopen_nowait's warning and
// smtpd_chat_notify's, both with the system error text.
func TestNoticeWithoutCleanup(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "public"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, service, errno string
	}{
		{"no socket", "cleanup", "No such file or directory"},
		{"not a socket", "plainfile", "Connection refused"},
	}
	if err := os.WriteFile(filepath.Join(dir, "public", "plainfile"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			capture := &msg.Capture{}
			p := &postmail.Params{QueueDir: dir, CleanupService: tt.service, Myhostname: "mx.example.com",
				MailName: "Postfix", Timeout: time.Second, Now: time.Now}
			postmasterNotice(p, "double-bounce@mx.example.com", msg.New(capture))("postmaster", []string{"Subject: x"})
			want := "warning: connect to public/" + tt.service + ": " + tt.errno + "\n" +
				"warning: postmaster notify: " + tt.errno
			if got := strings.Join(capture.Lines, "\n"); got != want {
				t.Errorf("log:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
