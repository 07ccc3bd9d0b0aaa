package smtpclient

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// sessionPort is the STARTTLS stub of the TLS session cache test.
const sessionPort = 27230

const sessionMainCF = stubMainCF + `smtp_tls_CAfile = @ROOT@/etc/ca.pem
smtp_tls_loglevel = 1
smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache
lmtp_tls_session_cache_database = btree:${data_directory}/lmtp_scache
`

const sessionMasterCF = instance.MasterCF + `tlsmgr    unix  -       -       n       1000?   1       tlsmgr
tlsenc    unix  -       -       n       -       -       smtp -o smtp_tls_security_level=encrypt
tlsverify unix  -       -       n       -       -       smtp -o smtp_tls_security_level=verify -o smtp_tls_verify_cert_match=mx.tlsspec.test
tlsnocache unix -       -       n       -       -       smtp -o smtp_tls_security_level=encrypt -o smtp_tls_session_cache_database=
lmtp      unix  -       -       n       -       -       lmtp -o lmtp_tls_security_level=encrypt
`

// sessionDomains go to the stub one message after another, so that the
// second delivery of each can resume the first one's TLS session.
var sessionDomains = []struct{ domain, transport string }{
	{"enc.test", "tlsenc:[127.0.0.1]:27230"},
	{"verify.test", "tlsverify:[127.0.0.1]:27230"},
	// The cache database setting that counts is tlsmgr's: an empty
	// one in the smtp service does not stop resumption.
	{"override.test", "tlsnocache:[127.0.0.1]:27230"},
}

// runSessions delivers two messages per domain, one at a time, and
// returns the stub transcripts (whether each session was resumed), the
// masked status lines and the client's other log lines.
func runSessions(t *testing.T, master string, swap map[string]string) (trans, status, other []string) {
	pki := newPKI(t)
	files := map[string]string{"etc/ca.pem": string(pki.caPEM)}
	in := instance.New(t, instance.Options{Prefix: "smtpsess", Main: sessionMainCF, Master: master, Files: files, Ours: swap})
	var tr strings.Builder
	for _, d := range sessionDomains {
		fmt.Fprintf(&tr, "%s %s\n", d.domain, d.transport)
	}
	in.Write("etc/transport", tr.String())
	st := newStub(t, &pki.server, time.Second)
	st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", sessionPort), "tls", mode{starttls: "srv"})
	statusRE := regexp.MustCompile(`postfix/smtp\[\d+\]: [0-9A-F]+: to=<([^>]*)>.*status=`)
	sent := 0
	for _, d := range sessionDomains {
		for i := 1; i <= 2; i++ {
			rcpt := fmt.Sprintf("u%d@%s", i, d.domain)
			in.Send("From: sender@bounces.test\nTo: "+rcpt+"\nSubject: session\n\nbody\n", "-f", "sender@bounces.test", rcpt)
			sent++
			if !instance.WaitFor(30*time.Second, func() bool { return len(statusRE.FindAllString(in.Maillog(), -1)) >= sent }) {
				t.Fatalf("%s not delivered:\n%s", rcpt, in.Maillog())
			}
		}
	}
	for _, line := range strings.Split(in.Maillog(), "\n") {
		switch {
		case statusRE.MatchString(line):
			status = append(status, mask(line, in.Root))
		case strings.Contains(line, "postfix/smtp["):
			other = append(other, regexp.MustCompile(`^.*postfix/smtp\[\d+\]: `).ReplaceAllString(mask(line, in.Root), ""))
		}
	}
	sort.Strings(other)
	in.Halt()
	st.close()
	for _, s := range st.transcripts("tls") {
		trans = append(trans, strings.Join(s, "\n"))
	}
	return trans, status, other
}

// TestSessionCache compares TLS session resumption through tlsmgr(8)
// (smtp_tls_session_cache_database): the second session to a server is
// resumed by the real smtp and by ours, with the real tlsmgr and ours.
func TestSessionCache(t *testing.T) {
	instance.RequireRealPostfix(t)
	progs := instance.NewPrograms("smtp", "tlsmgr")
	defer progs.Remove()
	wantTrans, wantStatus, wantOther := runSessions(t, sessionMasterCF, nil)
	if n := strings.Count(strings.Join(wantTrans, "\n"), "-- TLS resumed"); n != len(sessionDomains) {
		t.Errorf("the real smtp resumed %d sessions, want %d:\n%s", n, len(sessionDomains), strings.Join(wantTrans, "\n==\n"))
	}
	for _, r := range []struct {
		name string
		swap map[string]string
	}{
		{"our smtp, real tlsmgr", map[string]string{"smtp": progs.Path(t, "smtp")}},
		{"our smtp, our tlsmgr", progs.Map(t)},
	} {
		trans, status, other := runSessions(t, sessionMasterCF, r.swap)
		if d := diffLines(wantTrans, trans); d != "" {
			t.Errorf("%s: transcripts differ:\n%s", r.name, d)
		}
		if d := diffLines(wantStatus, status); d != "" {
			t.Errorf("%s: status lines differ:\n%s", r.name, d)
		}
		if d := diffLines(wantOther, other); d != "" {
			t.Errorf("%s: other log lines differ:\n%s", r.name, d)
		}
	}
}

// TestNoTLSMgr compares the client without tlsmgr(8): the TLS library
// gets no entropy, TLS is disabled, and mail that requires it waits.
func TestNoTLSMgr(t *testing.T) {
	instance.RequireRealPostfix(t)
	master := strings.Replace(sessionMasterCF, "tlsmgr    unix", "#tlsmgr   unix", 1)
	wantTrans, wantStatus, wantOther := runSessions(t, master, nil)
	trans, status, other := runSessions(t, master, map[string]string{"smtp": ours.Path(t, "smtp")})
	for what, d := range map[string]string{"transcripts": diffLines(wantTrans, trans),
		"status lines": diffLines(wantStatus, status), "other log lines": diffLines(wantOther, other)} {
		if d != "" {
			t.Errorf("%s differ:\n%s", what, d)
		}
	}
}
