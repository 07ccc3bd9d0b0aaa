package milterinterop

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

const opendkimBin = "/usr/sbin/opendkim"

// startOpenDKIM runs opendkim in the foreground on 127.0.0.1:port,
// signing mail from example.com that comes from 127.0.0.1, and stops it
// when the test ends.
func startOpenDKIM(t *testing.T, port int) {
	t.Helper()
	if _, err := os.Stat(opendkimBin); err != nil {
		t.Fatalf("%s is missing (Debian package opendkim; make deps installs it): %v", opendkimBin, err)
	}
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`Syslog no
Background no
Mode sv
Domain example.com
Selector test
KeyFile %s/key.pem
RequireSafeKeys no
Canonicalization relaxed/simple
InternalHosts 127.0.0.1
SignatureAlgorithm rsa-sha256
PidFile %s/opendkim.pid
Socket inet:%d@127.0.0.1
`, dir, dir, port)
	if err := os.WriteFile(filepath.Join(dir, "opendkim.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(opendkimBin, "-f", "-x", filepath.Join(dir, "opendkim.conf"))
	out, err := os.Create(filepath.Join(dir, "opendkim.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		out.Close()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if !instance.WaitListening(10*time.Second, addr) {
		text, _ := os.ReadFile(filepath.Join(dir, "opendkim.out"))
		t.Fatalf("opendkim does not listen on %s:\n%s", addr, text)
	}
}

// milterCF points both kinds of mail at OpenDKIM; a Milter that fails
// defers the mail, so that a protocol problem cannot pass unnoticed.
func milterCF(port int) string {
	return fmt.Sprintf(`smtpd_milters = inet:127.0.0.1:%d
non_smtpd_milters = $smtpd_milters
milter_default_action = tempfail
`, port)
}

// sendSMTP sends one message through the instance's smtpd.
func sendSMTP(t *testing.T, port int, from, to, text string) {
	t.Helper()
	c, err := smtp.Dial(fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("SMTP connect: %v", err)
	}
	defer c.Close()
	if err := c.Hello("client.example.com"); err != nil {
		t.Fatalf("EHLO: %v", err)
	}
	if err := c.Mail(from); err != nil {
		t.Fatalf("MAIL: %v", err)
	}
	if err := c.Rcpt(to); err != nil {
		t.Fatalf("RCPT: %v", err)
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

// dkimVolatile are the parts of a DKIM-Signature that change from run to
// run: the time stamp and the signature over it.
var dkimVolatile = regexp.MustCompile(`(?s)\bt=\d+;|\bb=[A-Za-z0-9+/=\s]+$`)

// messages is what one instance delivered to nobody's mbox, one message
// per element, masked; the DKIM-Signature header is unfolded with its
// volatile fields masked.
func messages(in *instance.Instance) []string {
	data, _ := os.ReadFile(in.Path("spool/nobody"))
	var out []string
	for _, m := range strings.Split(string(data), "\nFrom ") {
		if strings.TrimSpace(m) == "" {
			continue
		}
		lines := strings.Split(m, "\n")
		var b strings.Builder
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			if strings.HasPrefix(l, "DKIM-Signature:") {
				for i+1 < len(lines) && (strings.HasPrefix(lines[i+1], " ") || strings.HasPrefix(lines[i+1], "\t")) {
					i++
					l += "\n" + lines[i]
				}
				l = dkimVolatile.ReplaceAllStringFunc(l, func(s string) string {
					if strings.HasPrefix(s, "t=") {
						return "t=<T>;"
					}
					return "b=<B>"
				})
			}
			b.WriteString(l + "\n")
		}
		out = append(out, instance.Mask(b.String(), in.Root))
	}
	return out
}

// TestOpenDKIM: mail over SMTP and with sendmail gets the same DKIM
// signature (headers signed, body hash) from OpenDKIM behind our smtpd
// and cleanup as behind the real ones, and is delivered the same.
func TestOpenDKIM(t *testing.T) {
	const milterPort = 34301
	startOpenDKIM(t, milterPort)
	const text = "From: Alice <alice@example.com>\nTo: nobody@localhost\nSubject: signed\n" +
		"Message-ID: <dkim-test@example.com>\nDate: Mon, 30 Nov 2026 01:00:00 +0000\n\n" +
		"The body, with trailing white space   \nand a second line.\n\n\n"
	side := func(smtpPort int, swap map[string]string) []string {
		master := fmt.Sprintf("127.0.0.1:%d inet n - n - - smtpd\n", smtpPort) + instance.MasterCF
		in := instance.New(t, instance.Options{Prefix: "milterinterop",
			Main:   instance.BareMainCF("example.com") + milterCF(milterPort),
			Master: master, Ours: swap})
		sendSMTP(t, smtpPort, "alice@example.com", "nobody@localhost", text)
		if !in.WaitQueueEmpty(30 * time.Second) {
			t.Fatalf("queue not empty after SMTP:\n%s", in.Maillog())
		}
		in.Send(text, "-f", "alice@example.com", "nobody")
		if !in.WaitQueueEmpty(30 * time.Second) {
			t.Fatalf("queue not empty after sendmail:\n%s", in.Maillog())
		}
		got := messages(in)
		if len(got) != 2 {
			t.Fatalf("%d messages delivered, want 2:\n%s", len(got), in.Maillog())
		}
		return got
	}
	real := side(34310, nil)
	got := side(34311, ours.Map(t))
	for i, what := range []string{"over SMTP", "with sendmail"} {
		if !strings.Contains(real[i], "DKIM-Signature:") {
			t.Fatalf("the real Postfix delivered the mail %s unsigned:\n%s", what, real[i])
		}
		if got[i] != real[i] {
			t.Errorf("mail %s differs.\nours:\n%s\nreal:\n%s", what, got[i], real[i])
		}
	}
}
