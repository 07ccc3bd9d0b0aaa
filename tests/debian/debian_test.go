// Package debian runs a Postfix instance configured as Debian ships it
// (the packaged master.cf, where most services run chroot=y in the queue
// directory, and main.cf.debian with the settings the installer adds)
// with the real programs and with ours, sends the same mail through
// sendmail and SMTP with STARTTLS, to a local mailbox and through smtp
// to a relay, and compares what was delivered and logged; once with
// smtpd on the SMTP port, once with postscreen in front of it. Ports
// 34390-34399.
package debian

import (
	"crypto/tls"
	"fmt"
	"net/smtp"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
	"gopostfix/tests/internal/testcert"
)

// ours replaces every program the test runs.
var ours = instance.NewPrograms("master", "postlogd", "pickup", "cleanup", "trivial-rewrite", "qmgr",
	"local", "bounce", "error", "discard", "showq", "smtpd", "proxymap", "smtp", "tlsmgr", "verify",
	"flush", "virtual", "anvil", "scache", "pipe", "postscreen", "dnsblog", "tlsproxy",
	"sendmail", "postdrop", "postqueue", "postsuper", "postalias", "postmap", "postlog", "postkick")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// mainCF is main.cf.debian plus what the Debian installer writes for an
// "Internet Site" (TLS with the host's certificate, relay restrictions,
// mynetworks), with a relayhost for remote mail.
const mainCF = `myhostname = mx.example.com
mydestination = $myhostname, localhost
alias_maps = hash:@ROOT@/etc/aliases
alias_database = hash:@ROOT@/etc/aliases
smtpd_tls_cert_file = @ROOT@/etc/cert.pem
smtpd_tls_key_file = @ROOT@/etc/key.pem
smtpd_tls_security_level = may
smtp_tls_CApath = /etc/ssl/certs
smtp_tls_security_level = may
smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache
smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated defer_unauth_destination
mynetworks = 127.0.0.0/8
mailbox_size_limit = 0
recipient_delimiter = +
relayhost = [127.0.0.1]:%d
`

// Lines of Debian's master.cf the tests change.
const (
	smtpLine       = "smtp      inet  n       -       y       -       -       smtpd\n"
	postscreenLine = "#smtp      inet  n       -       y       -       1       postscreen\n"
	passLines      = "#smtpd     pass  -       -       y       -       -       smtpd\n" +
		"#dnsblog   unix  -       -       y       -       0       dnsblog\n" +
		"#tlsproxy  unix  -       -       y       -       0       tlsproxy\n"
)

// edit replaces old by new in s, failing the test when s lacks it.
func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("testdata/master.cf.debian has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// smtpdMaster is Debian's master.cf with smtpd on 127.0.0.1:port
// instead of port 25.
func smtpdMaster(t *testing.T, master string, port int) string {
	return edit(t, master, smtpLine, fmt.Sprintf("127.0.0.1:%d inet  n       -       y       -       -       smtpd\n", port))
}

// postscreenMaster is Debian's master.cf with its postscreen lines
// enabled in front of smtpd, on 127.0.0.1:port.
func postscreenMaster(t *testing.T, master string, port int) string {
	master = edit(t, master, smtpLine, "")
	master = edit(t, master, postscreenLine, fmt.Sprintf("127.0.0.1:%d inet  n       -       y       -       1       postscreen\n", port))
	return edit(t, master, passLines, strings.ReplaceAll(passLines, "#", ""))
}

// newInstance makes an instance from the Debian files, with master.cf
// changed by editMaster for the SMTP port.
func newInstance(t *testing.T, port, sinkPort int, editMaster func(*testing.T, string, int) string, swap map[string]string) *instance.Instance {
	t.Helper()
	master, err := os.ReadFile("testdata/master.cf.debian")
	if err != nil {
		t.Fatal(err)
	}
	debian, err := os.ReadFile("testdata/main.cf.debian")
	if err != nil {
		t.Fatal(err)
	}
	mcf := editMaster(t, string(master), port)
	// main.cf.debian's compatibility_level comes after the instance's own.
	cf := strings.ReplaceAll(string(debian), "compatibility_level = 3.6\n", "") + fmt.Sprintf(mainCF, sinkPort)
	cert, key, err := testcert.SelfSigned("mx.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return instance.New(t, instance.Options{Prefix: "debian", Main: cf, Master: mcf, Ours: swap,
		Files: map[string]string{"etc/aliases": "postmaster: root\nroot: nobody\n",
			"etc/cert.pem": cert, "etc/key.pem": key},
		Aliases: []string{"etc/aliases"}})
}

// startSink runs the real smtp-sink on port until the test ends.
func startSink(t *testing.T, port int) {
	t.Helper()
	cmd := exec.Command("/usr/sbin/smtp-sink", "-u", "nobody", fmt.Sprintf("127.0.0.1:%d", port), "10")
	if err := cmd.Start(); err != nil {
		t.Fatalf("smtp-sink (package postfix): %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if !instance.WaitListening(10*time.Second, addr) {
		t.Fatalf("smtp-sink does not listen on %s", addr)
	}
}

// sendTLS sends a message over SMTP with STARTTLS.
func sendTLS(t *testing.T, port int, from, to, text string) {
	t.Helper()
	c, err := smtp.Dial(fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("SMTP connect: %v", err)
	}
	defer c.Close()
	steps := []func() error{
		func() error { return c.Hello("client.example.com") },
		func() error { return c.StartTLS(&tls.Config{InsecureSkipVerify: true}) },
		func() error { return c.Mail(from) },
		func() error { return c.Rcpt(to) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("SMTP step %d: %v", i, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	fmt.Fprint(w, strings.ReplaceAll(text, "\n", "\r\n"))
	if err := w.Close(); err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	c.Quit()
}

// volatile are the parts of log lines that differ between runs besides
// what instance.Mask hides: TLS session details and sizes that depend on
// the Received: header's TLS clause.
var volatile = regexp.MustCompile(`size=\d+|port \d+|:\d{5}\b`)

// logSummary returns the instance's log lines without the program's
// pid, masked, sorted (concurrent daemons log in any order).
func logSummary(in *instance.Instance) []string {
	var out []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		if l == "" || strings.Contains(l, "daemon started") {
			continue
		}
		out = append(out, volatile.ReplaceAllString(in.Mask(l), "<V>"))
	}
	sort.Strings(out)
	return out
}

// TestDebianChroot: the programs start, run in their chroot jails and
// deliver as the real ones do.
func TestDebianChroot(t *testing.T) {
	compareDebian(t, smtpdMaster, "", 34391, 34392, 34393, 34394)
}

// TestDebianPostscreen: the same with Debian's postscreen, dnsblog and
// tlsproxy lines enabled, postscreen handing the clients to smtpd.
func TestDebianPostscreen(t *testing.T) {
	compareDebian(t, postscreenMaster, "postfix/postscreen<M>: ALLOWLISTED [127.0.0.1]", 34395, 34396, 34397, 34398)
}

// compareDebian runs the scenario with the real programs and with ours,
// on the given SMTP and relay ports, and compares the outcome. The real
// instance's log must show the relayed mail and the line must.
func compareDebian(t *testing.T, editMaster func(*testing.T, string, int) string, must string, realPort, ourPort, realSink, ourSink int) {
	type result struct {
		log     []string
		mailbox string
	}
	side := func(port, sinkPort int, swap map[string]string) result {
		startSink(t, sinkPort)
		in := newInstance(t, port, sinkPort, editMaster, swap)
		in.Send("Subject: local\n\nbody\n", "-f", "root", "root")
		if !in.WaitQueueEmpty(30 * time.Second) {
			t.Fatalf("queue not empty after sendmail:\n%s", in.Maillog())
		}
		sendTLS(t, port, "alice@example.com", "root@localhost", "Subject: over TLS\n\nbody\n")
		sendTLS(t, port, "alice@example.com", "bob@remote.example", "Subject: relayed\n\nbody\n")
		if !in.WaitQueueEmpty(30 * time.Second) {
			t.Fatalf("queue not empty after SMTP:\n%s", in.Maillog())
		}
		// smtpd logs its disconnect line after the client has gone.
		in.WaitFor(10*time.Second, func() bool { return strings.Count(in.Maillog(), "disconnect from") == 2 })
		mbox, _ := os.ReadFile(in.Path("spool/nobody"))
		return result{logSummary(in), in.Mask(string(mbox))}
	}
	real := side(realPort, realSink, nil)
	got := side(ourPort, ourSink, ours.Map(t))
	for _, s := range []string{"status=sent (250", must} {
		if !strings.Contains(strings.Join(real.log, "\n"), s) {
			t.Fatalf("the real instance never logged %q:\n%s", s, strings.Join(real.log, "\n"))
		}
	}
	if r, g := strings.Join(real.log, "\n"), strings.Join(got.log, "\n"); r != g {
		t.Errorf("log lines differ.\nours:\n%s\nreal:\n%s", g, r)
	}
	if got.mailbox != real.mailbox {
		t.Errorf("mailbox differs.\nours:\n%s\nreal:\n%s", got.mailbox, real.mailbox)
	}
}
