package sasl

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	pfx "gopostfix/tests/internal/instance"
)

// The accounts of the test. The sasldb file has them in realm
// mx.example.com (smtpd's default realm is $myhostname); the IMAP
// server behind saslauthd knows imapuser.
const (
	testUser   = "test"
	testPass   = "secret"
	imapUser   = "imapuser"
	imapPass   = "imappw"
	testRealm  = "mx.example.com"
	otherRealm = "other.example"
)

// sasldbAccounts are the accounts of the sasldb file.
var sasldbAccounts = []struct{ user, realm, pass string }{
	{testUser, testRealm, testPass}, {"second", testRealm, "pw2"}, {testUser, otherRealm, "otherpw"},
}

// makeSasldb writes a sasldb file with saslpasswd2 -f, readable by smtpd.
func makeSasldb(t *testing.T, path string) {
	t.Helper()
	for _, u := range sasldbAccounts {
		cmd := exec.Command("saslpasswd2", "-p", "-c", "-f", path, "-u", u.realm, u.user)
		cmd.Stdin = strings.NewReader(u.pass)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("saslpasswd2 (package sasl2-bin): %v\n%s", err, out)
		}
	}
	if err := os.Chmod(path, 0644); err != nil {
		t.Fatal(err)
	}
}

// startIMAP serves the LOGIN command of IMAP on loopback for saslauthd's
// rimap mode: imapUser/imapPass succeed, everything else fails.
func startIMAP(t *testing.T, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveIMAP(c)
		}
	}()
}

func serveIMAP(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	c.Write([]byte("* OK test IMAP ready\r\n"))
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(strings.TrimRight(line, "\r\n"))
		if len(f) < 2 {
			return
		}
		switch strings.ToUpper(f[1]) {
		case "LOGIN":
			if len(f) == 4 && f[2] == `"`+imapUser+`"` && f[3] == `"`+imapPass+`"` {
				c.Write([]byte(f[0] + " OK logged in\r\n"))
			} else {
				c.Write([]byte(f[0] + " NO login failed\r\n"))
			}
		case "LOGOUT":
			c.Write([]byte("* BYE\r\n" + f[0] + " OK bye\r\n"))
			return
		default:
			c.Write([]byte(f[0] + " BAD\r\n"))
		}
	}
}

// startSaslauthd runs saslauthd in the foreground in rimap mode against
// the test's IMAP server on imapPort, with its socket in dir; it is stopped by its
// process id when the test ends.
func startSaslauthd(t *testing.T, dir string, imapPort int) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/sbin/saslauthd", "-d", "-a", "rimap", "-O", "127.0.0.1/"+strconv.Itoa(imapPort), "-m", dir, "-n", "0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	log, err := os.Create(filepath.Join(dir, "saslauthd.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("saslauthd (package sasl2-bin): %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		log.Close()
	})
	mux := filepath.Join(dir, "mux")
	if !pfx.WaitFor(10*time.Second, func() bool { _, err := os.Stat(mux); return err == nil }) {
		t.Fatalf("saslauthd made no socket %s", mux)
	}
	os.Chmod(dir, 0755)
	return mux
}
