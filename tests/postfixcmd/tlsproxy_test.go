package postfixcmd

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/libtls"
	"gopostfix/tests/internal/instance"
)

// tlsproxyPorts are the postscreen ports of the two instances of a run
// (real tlsproxy, ours), from the range this package owns.
var tlsproxyPorts = map[bool]int{false: 31025, true: 31026}

const tlsproxyMainCF = `mynetworks = 127.0.0.1/32
smtpd_peername_lookup = no
postscreen_greet_wait = 1s
postscreen_dnsbl_sites =
postscreen_pipelining_enable = yes
postscreen_tls_security_level = may
smtpd_tls_security_level = may
smtpd_tls_cert_file = @ROOT@/etc/cert.pem
smtpd_tls_key_file = @ROOT@/etc/key.pem
smtpd_client_restrictions =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
`

func tlsproxyMasterCF(port int, extra string) string {
	return instance.MasterCF + fmt.Sprintf(`proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
tlsproxy  unix  -       -       n       -       0       tlsproxy%s
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
%d      inet  n       -       n       -       1       postscreen
smtpd     pass  -       -       n       -       -       smtpd
`, extra, port)
}

// testCert is a self-signed ECDSA certificate for the instances, made
// as "postfix tls new-server-key -a ecdsa" makes one.
func testCert(t *testing.T) (certPEM, keyPEM string) {
	key, keyText, err := libtls.GenerateKey(libtls.AlgECDSA, "secp256r1")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := libtls.SelfSignedCert(key, []string{"mx.delivspec.example"}, 1, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return string(cert), string(keyText)
}

// smtpClient is one SMTP session with a transcript.
type smtpClient struct {
	conn  net.Conn
	r     *bufio.Reader
	lines []string
}

func dialSMTP(t *testing.T, port int) *smtpClient {
	t.Helper()
	// From 127.0.0.2: 127.0.0.1 is in mynetworks, which postscreen
	// passes to smtpd at once.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("connect to %d: %v", port, err)
	}
	return &smtpClient{conn: c, r: bufio.NewReader(c)}
}

// reply reads one (multi-line) reply.
func (c *smtpClient) reply() {
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			c.lines = append(c.lines, "read: "+endOf(err))
			return
		}
		c.lines = append(c.lines, "S: "+strings.TrimRight(line, "\r\n"))
		if len(line) < 4 || line[3] != '-' {
			return
		}
	}
}

func (c *smtpClient) chat(cmd string) {
	c.lines = append(c.lines, "C: "+cmd)
	c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c.conn, "%s\r\n", cmd)
	c.reply()
}

// startTLS does the client handshake after "220 2.0.0 Ready to start TLS".
func (c *smtpClient) startTLS() {
	tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true, ServerName: "mx.delivspec.example"})
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		c.lines = append(c.lines, "TLS handshake failed")
		return
	}
	st := tc.ConnectionState()
	c.lines = append(c.lines, fmt.Sprintf("TLS handshake done: version %x", st.Version))
	c.conn, c.r = tc, bufio.NewReader(tc)
}

// closed waits for the server to close the connection.
func (c *smtpClient) closed() {
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := c.r.ReadString('\n'); err != nil {
		c.lines = append(c.lines, "closed: "+endOf(err))
	} else {
		c.lines = append(c.lines, "unexpected: "+line)
	}
}

func endOf(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "EOF"):
		return "EOF"
	case strings.Contains(s, "reset"):
		return "reset"
	case strings.Contains(s, "timeout"):
		return "timeout"
	}
	return s
}

// tlsproxyRun starts one instance (ours says whose tlsproxy), runs the
// session and returns the transcript and the tlsproxy log lines.
func tlsproxyRun(t *testing.T, oursProxy bool, mainExtra, masterExtra string, session func(c *smtpClient)) ([]string, []string) {
	t.Helper()
	port := tlsproxyPorts[oursProxy]
	progs := map[string]string{}
	if oursProxy {
		progs["tlsproxy"] = ours.Path(t, "tlsproxy")
	}
	files := map[string]string{"etc/aliases": "pstest: @ROOT@/out/pstest.mbox\n"}
	files["etc/cert.pem"], files["etc/key.pem"] = testCert(t)
	opts := instance.Local(tlsproxyMainCF+mainExtra, files, progs)
	opts.Prefix = "tlspinst"
	opts.Master = tlsproxyMasterCF(port, masterExtra)
	in := instance.New(t, opts)
	c := dialSMTP(t, port)
	session(c)
	c.conn.Close()
	if len(c.lines) == 0 || !strings.HasPrefix(c.lines[0], "S: 220") {
		t.Fatalf("no greeting from postscreen: %q\nmaillog:\n%s", c.lines, in.Maillog())
	}
	var log []string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		log = tlsproxyLog(in)
		text := strings.Join(log, "\n")
		if n := strings.Count(text, "CONNECT from"); n > 0 && n == strings.Count(text, "DISCONNECT") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	in.Halt()
	log = tlsproxyLog(in)
	in.Stop()
	return c.lines, log
}

var (
	logPrefix = regexp.MustCompile(`^\S+\s+\S+\s+\S+\s+\S+\s+\S+/tlsproxy\[\d+\]: `)
	portRe    = regexp.MustCompile(`\]:\d+`)
)

// tlsproxyLog is tlsproxy's part of the maillog, without time, host and
// pid, client ports masked.
func tlsproxyLog(in *instance.Instance) []string {
	var out []string
	for _, line := range strings.Split(in.Maillog(), "\n") {
		if !logPrefix.MatchString(line) {
			continue
		}
		line = logPrefix.ReplaceAllString(strings.ReplaceAll(line, in.Root, "@ROOT@"), "tlsproxy: ")
		out = append(out, portRe.ReplaceAllString(line, "]:PORT"))
	}
	return out
}

// compareRuns runs a session with the real tlsproxy and with ours.
func compareRuns(t *testing.T, mainExtra, masterExtra string, session func(c *smtpClient)) {
	instance.RequireRealPostfix(t)
	realT, realLog := tlsproxyRun(t, false, mainExtra, masterExtra, session)
	oursT, oursLog := tlsproxyRun(t, true, mainExtra, masterExtra, session)
	if strings.Join(realT, "\n") != strings.Join(oursT, "\n") {
		t.Errorf("transcripts differ:\nreal:\n%s\nours:\n%s", strings.Join(realT, "\n"), strings.Join(oursT, "\n"))
	}
	if strings.Join(realLog, "\n") != strings.Join(oursLog, "\n") {
		t.Errorf("tlsproxy logs differ:\nreal:\n%s\nours:\n%s", strings.Join(realLog, "\n"), strings.Join(oursLog, "\n"))
	}
	t.Logf("transcript:\n%s\nlog:\n%s", strings.Join(realT, "\n"), strings.Join(realLog, "\n"))
}

func greeted(c *smtpClient) {
	c.reply()
	if len(c.lines) == 0 || !strings.HasPrefix(c.lines[0], "S: 220") {
		c.conn.Close()
	}
}

// starttls greets, says EHLO and STARTTLS.
func starttls(c *smtpClient) {
	greeted(c)
	c.chat("EHLO a.example")
	c.chat("STARTTLS")
}

// TestTLSProxy runs postscreen STARTTLS sessions through the real
// tlsproxy and ours.
func TestTLSProxy(t *testing.T) {
	for _, tc := range []struct {
		name, mainCF, masterCF string
		session                func(c *smtpClient)
	}{
		{"session over TLS", "tlsproxy_tls_loglevel = 1\n", "", func(c *smtpClient) {
			starttls(c)
			c.startTLS()
			c.chat("EHLO b.example")
			c.chat("MAIL FROM:<x@a.example>")
			c.chat("RCPT TO:<pstest@mx.delivspec.example>")
			c.chat("QUIT")
			c.closed()
		}},
		// The client goes away instead of doing the handshake.
		{"handshake abandoned", "", "", func(c *smtpClient) {
			starttls(c)
			c.conn.Close()
		}},
		// The client answers the hand-off with plain text.
		{"not TLS", "", "", func(c *smtpClient) {
			starttls(c)
			c.chat("EHLO again.example")
			c.closed()
		}},
		// TLS off in tlsproxy: status 0, and postscreen says 454.
		{"server role disabled", "", " -o tlsproxy_tls_security_level=none", func(c *smtpClient) {
			starttls(c)
			c.chat("QUIT")
			c.closed()
		}},
		{"no certificate", "", " -o tlsproxy_tls_cert_file= -o tlsproxy_tls_key_file=", func(c *smtpClient) {
			starttls(c)
			c.chat("QUIT")
			c.closed()
		}},
		// Two clients through one tlsproxy process at the same time.
		{"two sessions", "tlsproxy_tls_loglevel = 1\n", "", func(c *smtpClient) {
			starttls(c)
			c.startTLS()
			second := dialSMTP(t, portOf(c))
			starttls(second)
			second.startTLS()
			second.chat("NOOP")
			c.chat("NOOP")
			c.chat("HELO " + strings.Repeat("x", 200) + ".example")
			second.chat("QUIT")
			second.closed()
			c.lines = append(c.lines, second.lines...)
			c.chat("QUIT")
			c.closed()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { compareRuns(t, tc.mainCF, tc.masterCF, tc.session) })
	}
}

func portOf(c *smtpClient) int {
	return c.conn.RemoteAddr().(*net.TCPAddr).Port
}
