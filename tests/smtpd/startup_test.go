package smtpd

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStartupUndefinedClass: a restriction class without a definition
// ends smtpd when the process starts, before the greeting
// (smtpd_check_init); the real smtpd and ours log the same lines. The
// services listen on 127.0.0.1:33300 (real) and :33301 (ours).
func TestStartupUndefinedClass(t *testing.T) {
	bin := ourBinaries(t)
	in := newInstance(t, "smtpd_restriction_classes = t_ok, t_undefined\nt_ok = permit\n",
		"127.0.0.1:33300 inet n - n - - smtpd\n127.0.0.1:33301 inet n - n - - gosmtpd\n",
		map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")}, nil)
	w := newLogWatch(in.path("log/maillog"))
	for _, addr := range []string{"127.0.0.1:33300", "127.0.0.1:33301"} {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// master throttles the failing service: the connection
		// stays unanswered.
		defer c.Close()
	}
	// lines waits (5 s at most) for a disconnect line that never comes.
	real, ours := w.lines("smtpd"), w.lines("gosmtpd")
	if len(real) == 0 || !strings.HasPrefix(real[len(real)-1], "fatal: ") {
		t.Fatalf("the real smtpd did not end with a fatal error; its log:\n%s\nthe instance log:\n%s",
			strings.Join(real, "\n"), in.maillog())
	}
	if strings.Join(real, "\n") != strings.Join(ours, "\n") {
		t.Errorf("log lines differ\n--- real\n%s\n--- ours\n%s", strings.Join(real, "\n"), strings.Join(ours, "\n"))
	}
}
