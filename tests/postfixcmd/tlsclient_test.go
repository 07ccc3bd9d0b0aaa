package postfixcmd

import (
	"crypto/sha256"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// sinkPort is where the client-role tests' SMTP server listens.
const sinkPort = 31027

const reuseMainCF = `smtp_tls_loglevel = 1
smtp_tls_connection_reuse = yes
smtp_connection_cache_destinations = [127.0.0.1]:31027, [127.0.0.1], 127.0.0.1
smtp_connection_cache_time_limit = 5s
connection_cache_ttl_limit = 5s
smtp_connection_reuse_time_limit = 60s
smtp_host_lookup = native
`

func reuseMasterCF(smtpOpts string) string {
	return instance.MasterCF + `smtp      unix  -       -       n       -       -       smtp` + smtpOpts + `
scache    unix  -       -       n       -       1       scache
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
tlsproxy  unix  -       -       n       -       0       tlsproxy
`
}

// Which programs of a client-role run are ours.
type reuseVariant struct{ proxy, smtp bool }

var (
	allReal   = reuseVariant{}
	ourProxy  = reuseVariant{proxy: true}
	ourClient = reuseVariant{proxy: true, smtp: true}
)

// reuseRun sends two messages through smtp with TLS connection reuse,
// with the real or our tlsproxy (and smtp), and returns the SMTP
// server's view, the smtp and tlsproxy log lines.
func reuseRun(t *testing.T, v reuseVariant, mainExtra, smtpOpts, certPEM, keyPEM string) (sink [][]string, smtp, proxy []string) {
	t.Helper()
	progs := map[string]string{}
	if v.proxy {
		progs["tlsproxy"] = ours.Path(t, "tlsproxy")
	}
	if v.smtp {
		progs["smtp"] = ours.Path(t, "smtp")
	}
	opts := instance.Local(reuseMainCF+mainExtra, map[string]string{"etc/aliases": "postmaster: root\n",
		"etc/transport": "example.com smtp:[127.0.0.1]:31027\n", "etc/sinkcert.pem": certPEM}, progs)
	opts.Prefix = "tlscinst"
	opts.Master = reuseMasterCF(smtpOpts)
	srv := startSink(t, sinkPort, certPEM, keyPEM)
	in := instance.New(t, opts)
	// Submit only when master is up and logging.
	ready := time.Now().Add(10 * time.Second)
	for time.Now().Before(ready) && !strings.Contains(in.Maillog(), "daemon started") {
		time.Sleep(100 * time.Millisecond)
	}
	for i := 1; i <= 2; i++ {
		if out, err := in.RunInput(fmt.Sprintf("Subject: reuse %d\n\nbody %d\n", i, i), "sendmail", "-f", "sender@mx.delivspec.example", "remote@example.com"); err != nil {
			t.Fatalf("sendmail: %v\n%s", err, out)
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && strings.Count(in.Maillog(), "status=") < i {
			time.Sleep(100 * time.Millisecond)
		}
		if strings.Count(in.Maillog(), "status=") < i {
			t.Fatalf("message %d was not delivered or deferred; maillog:\n%s", i, in.Maillog())
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		text := strings.Join(tlsproxyLog(in), "\n")
		if n := strings.Count(text, "CONNECT to"); n > 0 && n == strings.Count(text, "DISCONNECT") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	in.Halt()
	sink = srv.stop()
	for _, line := range in.LogSet("smtp") {
		smtp = append(smtp, line)
	}
	proxy = tlsproxyLog(in)
	in.Stop()
	return sink, smtp, proxy
}

// noRetry keeps deferred mail in the queue for the rest of a test, so
// that both runs make the same number of attempts.
const noRetry = "queue_run_delay = 300s\nminimal_backoff_time = 300s\nmaximal_backoff_time = 300s\n"

// TestTLSProxyClient: smtp hands its TLS connections to tlsproxy and
// reuses them for the next delivery, at the security levels whose
// certificate checks tlsproxy makes. The real smtp with our tlsproxy
// is compared with the real pair, and where marked, our smtp with our
// tlsproxy too.
func TestTLSProxyClient(t *testing.T) {
	instance.RequireRealPostfix(t)
	certPEM, keyPEM := testCert(t)
	b, _ := pem.Decode([]byte(certPEM))
	sum := sha256.Sum256(b.Bytes)
	fprint := colonHex(sum[:])
	for _, tc := range []struct {
		name, mainCF, smtpOpts string
		reuse, allOurs         bool
	}{
		{"may", "smtp_tls_security_level = may\n", "", true, true},
		{"encrypt trusted", "smtp_tls_security_level = encrypt\nsmtp_tls_CAfile = @ROOT@/etc/sinkcert.pem\n", "", true, false},
		{"verify", "smtp_tls_security_level = verify\nsmtp_tls_CAfile = @ROOT@/etc/sinkcert.pem\nsmtp_tls_verify_cert_match = mx.delivspec.example\n", "", true, true},
		{"verify mismatch", "smtp_tls_security_level = verify\nsmtp_tls_CAfile = @ROOT@/etc/sinkcert.pem\nsmtp_tls_verify_cert_match = other.example\n" + noRetry, "", false, false},
		{"verify untrusted", "smtp_tls_security_level = verify\nsmtp_tls_verify_cert_match = mx.delivspec.example\n" + noRetry, "", false, false},
		{"fingerprint mismatch", "smtp_tls_security_level = fingerprint\nsmtp_tls_fingerprint_digest = sha256\nsmtp_tls_fingerprint_cert_match = " + strings.Repeat("AB:", 31) + "AB\n" + noRetry, "", false, false},
		// smtp with settings of its own: tlsproxy warns once per kind.
		{"unexpected settings", "smtp_tls_security_level = may\n",
			" -o tls_high_cipherlist=HIGH:!aNULL -o smtp_tls_CAfile=@ROOT@/etc/sinkcert.pem", true, true},
		{"fingerprint", "smtp_tls_security_level = fingerprint\nsmtp_tls_fingerprint_digest = sha256\nsmtp_tls_fingerprint_cert_match = " + fprint + "\n", "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, rl, rp := reuseRun(t, allReal, tc.mainCF, tc.smtpOpts, certPEM, keyPEM)
			variants := []reuseVariant{ourProxy}
			if tc.allOurs {
				variants = append(variants, ourClient)
			}
			for _, v := range variants {
				vs, vl, vp := reuseRun(t, v, tc.mainCF, tc.smtpOpts, certPEM, keyPEM)
				if show(rs) != show(vs) {
					t.Errorf("%+v: SMTP server sessions differ:\nreal:\n%sours:\n%s", v, show(rs), show(vs))
				}
				if d := instance.SetDiff(rl, vl); d != "" {
					t.Errorf("%+v: smtp log lines differ:\n%s", v, d)
				}
				if strings.Join(rp, "\n") != strings.Join(vp, "\n") {
					t.Errorf("%+v: tlsproxy logs differ:\nreal:\n%s\nours:\n%s", v, strings.Join(rp, "\n"), strings.Join(vp, "\n"))
				}
			}
			if reused := strings.Contains(strings.Join(rl, "\n"), "conn_use=2"); reused != tc.reuse {
				t.Errorf("connection reused: %v, want %v:\n%s", reused, tc.reuse, strings.Join(rl, "\n"))
			}
			t.Logf("server:\n%s\nsmtp:\n%s\ntlsproxy:\n%s", show(rs), strings.Join(rl, "\n"), strings.Join(rp, "\n"))
		})
	}
}

func show(s [][]string) string {
	var b strings.Builder
	for i, c := range s {
		fmt.Fprintf(&b, "connection %d: %s\n", i+1, strings.Join(c, " | "))
	}
	return b.String()
}

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02X", c)
	}
	return strings.Join(parts, ":")
}
