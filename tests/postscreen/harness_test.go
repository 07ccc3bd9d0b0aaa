package postscreen

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// variant says which of postscreen and dnsblog are ours; smtpd and the
// rest of the instance are always the real ones.
type variant struct {
	name                      string
	ourPostscreen, ourDNSBLog bool
}

var (
	allReal    = variant{"real", false, false}
	allOurs    = variant{"ours", true, true}
	ourScreen  = variant{"our postscreen, real dnsblog", true, false}
	ourDNSBLog = variant{"real postscreen, our dnsblog", false, true}
)

// psMainCF is the part of main.cf every profile shares: postscreen in
// front of the real smtpd, quick tests, local delivery of "pstest" into
// a file.
const psMainCF = `mynetworks = 127.0.0.1/32
smtpd_peername_lookup = no
postscreen_greet_wait = 1s
postscreen_dnsbl_timeout = 5s
smtpd_client_restrictions =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_error_sleep_time = 0
`

// psMasterCF adds postscreen on port, smtpd behind it and dnsblog.
func psMasterCF(port int) string {
	return instance.MasterCF + fmt.Sprintf(`proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
tlsproxy  unix  -       -       n       -       0       tlsproxy
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
%d      inet  n       -       n       -       1       postscreen
smtpd     pass  -       -       n       -       -       smtpd
dnsblog   unix  -       -       n       -       0       dnsblog
`, port)
}

// psFiles are the instance files every profile has.
var psFiles = map[string]string{
	"etc/aliases":    "pstest: @ROOT@/out/pstest.mbox\n",
	"etc/psacl":      "127.0.0.20 reject\n127.0.0.21 permit\n127.0.0.22 dunno\n127.0.0.0/8 dunno\n",
	"etc/dnsblreply": "bl1.test public-list.example\n",
	"etc/footers":    "/^550 5\\.3\\.2 / Map footer for $$client_address\\nsecond line from $$server_name\n",
}

// newInstance starts an instance of variant v for a profile.
func newInstance(t *testing.T, v variant, port int, mainCF string) *instance.Instance {
	t.Helper()
	dnsblog := instance.RealDaemonDir + "/dnsblog"
	if v.ourDNSBLog {
		dnsblog = ours.Path(t, "dnsblog")
	}
	progs := map[string]string{"dnsblog": dns.Wrapper(t, dnsblog, "dnsblog")}
	if v.ourPostscreen {
		progs["postscreen"] = ours.Path(t, "postscreen")
	}
	files := map[string]string{}
	for k, v := range psFiles {
		files[k] = v
	}
	files["etc/cert.pem"], files["etc/key.pem"] = testCert()
	opts := instance.Local(psMainCF+mainCF, files, progs)
	opts.Prefix = "psinst"
	opts.Master = psMasterCF(port)
	opts.Maps = append(opts.Maps, "etc/dnsblreply")
	return instance.New(t, opts)
}

// client is one SMTP client session, recording what it sends and
// receives.
type client struct {
	t     *testing.T
	conn  net.Conn
	r     *bufio.Reader
	lines []string
}

// dial connects from the loopback address from (127.0.0.N) to port.
func dial(t *testing.T, from string, port int) *client {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("connect from %s to %d: %v", from, port, err)
	}
	return &client{t: t, conn: c, r: bufio.NewReader(c)}
}

// send writes text (CRLF and LF as given).
func (c *client) send(text string) {
	c.lines = append(c.lines, "C: "+strings.ReplaceAll(strings.ReplaceAll(text, "\r", `\r`), "\n", `\n`))
	c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.conn.Write([]byte(text)); err != nil {
		c.lines = append(c.lines, "write error")
	}
}

// reply reads one reply: lines up to one whose fourth byte is a space,
// or the end of the connection; at most limit.
func (c *client) reply(limit time.Duration) {
	c.conn.SetReadDeadline(time.Now().Add(limit))
	for {
		line, err := c.r.ReadString('\n')
		if line != "" {
			c.lines = append(c.lines, "S: "+instance.Mask(strings.TrimRight(line, "\r\n"), ""))
		}
		if err != nil {
			c.lines = append(c.lines, "S: "+endOf(err))
			return
		}
		if len(line) < 4 || line[3] != '-' {
			return
		}
	}
}

// chat sends a command and reads its reply.
func (c *client) chat(cmd string) {
	c.send(cmd + "\r\n")
	c.reply(10 * time.Second)
}

// closed waits (at most limit) for the server to close the connection,
// recording anything it still says.
func (c *client) closed(limit time.Duration) {
	c.conn.SetReadDeadline(time.Now().Add(limit))
	for {
		line, err := c.r.ReadString('\n')
		if line != "" {
			c.lines = append(c.lines, "S: "+strings.TrimRight(line, "\r\n"))
		}
		if err != nil {
			c.lines = append(c.lines, "S: "+endOf(err))
			return
		}
	}
}

func (c *client) close() { c.conn.Close() }

// endOf names why reading stopped: a time-out (the server kept the
// connection open) or its end.
func endOf(err error) string {
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return "<no reply>"
	}
	return "<closed>"
}

// portMask hides client ports, which differ between runs.
var portMask = regexp.MustCompile(`\]:\d+`)

// timeMask hides elapsed times in PREGREET and HANGUP lines.
var timeMask = regexp.MustCompile(`after [0-9.]+ from`)

// screenLog returns the postscreen and dnsblog log lines of an instance
// so far, masked; dnsblog lines are sorted, as the dnsblogs of one
// client run in parallel; cache cleanup reports, which run on their own
// clock, come as a set.
func screenLog(in *instance.Instance, serverPort int) (screen, dnsblog []string, cleanup map[string]bool) {
	cleanup = map[string]bool{}
	for _, l := range in.LogLines("postfix/postscreen[", "postfix/dnsblog[") {
		isDNSBLog := strings.Contains(l, "postfix/dnsblog[")
		l = in.Mask(l)
		l = strings.ReplaceAll(l, fmt.Sprintf(":%d", serverPort), ":<port>")
		l = portMask.ReplaceAllString(l, "]:<port>")
		l = timeMask.ReplaceAllString(l, "after <t> from")
		if i := strings.Index(l, "postfix/"); i >= 0 {
			l = l[i:]
		}
		switch {
		case isDNSBLog:
			dnsblog = append(dnsblog, l)
		case strings.Contains(l, " cleanup: retained="):
			cleanup[l] = true
		default:
			screen = append(screen, l)
		}
	}
	sort.Strings(dnsblog)
	return screen, dnsblog, cleanup
}

// diffLines reports the first difference between two line lists.
func diffLines(t *testing.T, what string, want, got []string) {
	t.Helper()
	if n, w, g := instance.FirstDiff(want, got); n > 0 {
		t.Errorf("%s differ at line %d:\n real: %s\n ours: %s\nreal all:\n%s\nours all:\n%s", what, n, w, g,
			strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
}
