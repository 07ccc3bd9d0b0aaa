package smtpd

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTableIsDirectory: a check_client_access table whose file is a
// directory. The real smtpd reads a regexp: or pcre: one as an empty
// table (the read error ends the rules and is never looked at) and says
// nothing about it; a cidr: or texthash: one ends the process at
// start-up with the read error, stand-in tables or not. Each case is a
// service pair on 127.0.0.1:33400+2i (real) and 33401+2i (ours); the
// replies of one session and the log lines of the two must agree.
func TestTableIsDirectory(t *testing.T) {
	cases := []struct {
		name, table string
		fatal       bool
	}{
		{"regexp", "regexp:@ROOT@/etc/adir", false},
		{"pcre", "pcre:@ROOT@/etc/adir", false},
		{"cidr", "cidr:@ROOT@/etc/adir", true},
		{"texthash", "texthash:@ROOT@/etc/adir", true},
	}
	var master strings.Builder
	for i, tc := range cases {
		for side, prog := range []string{"smtpd", "gosmtpd"} {
			fmt.Fprintf(&master, "127.0.0.1:%d inet n - n - - %s -o smtpd_client_restrictions=check_client_access,%s\n",
				33400+2*i+side, prog, tc.table)
		}
	}
	bin := ourBinaries(t)
	in := newInstance(t, "", master.String(), map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")},
		map[string]string{"adir/file": "/./ REJECT not a rule file\n"})
	session := rcptSession("postmaster@mx.example.com")
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newLogWatch(in.path("log/maillog"))
			realAddr, ourAddr := fmt.Sprintf("127.0.0.1:%d", 33400+2*i), fmt.Sprintf("127.0.0.1:%d", 33401+2*i)
			if tc.fatal {
				for _, addr := range []string{realAddr, ourAddr} {
					c, err := net.DialTimeout("tcp", addr, 5*time.Second)
					if err != nil {
						t.Fatal(err)
					}
					// master throttles the failing service: the
					// connection stays unanswered.
					defer c.Close()
				}
			} else {
				real, ours := runSession(session, realAddr, true), runSession(session, ourAddr, true)
				if real.err != nil || ours.err != nil {
					t.Fatalf("sessions: real %v, ours %v", real.err, ours.err)
				}
				a, b := maskAll(real.replies), maskAll(ours.replies)
				if strings.Join(a, "\n") != strings.Join(b, "\n") {
					t.Errorf("replies differ\n--- real\n%s\n--- ours\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
				}
			}
			// lines waits (5 s at most) for a disconnect line, which
			// a fatal start-up never logs.
			real, ours := maskAll(w.lines("smtpd")), maskAll(w.lines("gosmtpd"))
			ended := len(real) > 0 && strings.HasPrefix(real[len(real)-1], "fatal: ")
			if ended != tc.fatal {
				t.Fatalf("the real smtpd ended with a fatal error: %v, want %v; its log:\n%s", ended, tc.fatal, strings.Join(real, "\n"))
			}
			if strings.Join(real, "\n") != strings.Join(ours, "\n") {
				t.Errorf("log lines differ\n--- real\n%s\n--- ours\n%s", strings.Join(real, "\n"), strings.Join(ours, "\n"))
			}
		})
	}
}
