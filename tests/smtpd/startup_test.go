package smtpd

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartupFatal: restriction class settings that end smtpd when the
// process starts, before the greeting (smtpd_check_init): a class
// without a definition, and a class whose proxy: table the proxymap
// service refuses (it is not in proxy_read_maps). The real smtpd and
// ours log the same lines. Each case is a service pair on
// 127.0.0.1:33300+2i (real) and 33301+2i (ours).
func TestStartupFatal(t *testing.T) {
	cases := []struct{ name, classes string }{
		{"undefined class", "t_ok,t_undefined"},
		{"proxy table refused", "t_ok,t_proxy"},
	}
	var master strings.Builder
	for i, tc := range cases {
		fmt.Fprintf(&master, "127.0.0.1:%d inet n - n - - smtpd -o smtpd_restriction_classes=%s\n", 33300+2*i, tc.classes)
		fmt.Fprintf(&master, "127.0.0.1:%d inet n - n - - gosmtpd -o smtpd_restriction_classes=%s\n", 33301+2*i, tc.classes)
	}
	bin := ourBinaries(t)
	in := newInstance(t, "t_ok = permit\nt_proxy = check_client_access proxy:hash:@ROOT@/etc/notproxied\n",
		master.String(), map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")}, map[string]string{"notproxied": ""})
	if out, err := in.run("/usr/sbin/postmap", "-c", in.path("etc"), "hash:"+in.path("etc/notproxied")); err != nil {
		t.Fatalf("postmap: %v\n%s", err, out)
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { expectFatalStart(t, in, 33300+2*i, 33301+2*i) })
	}
}
