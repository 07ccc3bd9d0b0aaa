package agents

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/verify"
	"gopostfix/tests/internal/instance"
)

const verifyMain = `smtpd_recipient_restrictions = reject_unverified_recipient, permit
unverified_recipient_reject_code = 550
address_verify_poll_delay = 2s
address_verify_poll_count = 15
`

func verifyFiles(port int) map[string]string {
	return map[string]string{"etc/master.cf": baseMasterCF +
		"verify    unix  -       -       n       -       1       verify\n" +
		"proxymap  unix  -       -       n       -       -       proxymap\n" +
		"proxywrite unix -       -       n       -       1       proxymap\n" +
		fmt.Sprintf("127.0.0.1:%d inet n - n - - smtpd\n", port)}
}

// smtpSession sends the commands and returns the server's replies.
func smtpSession(t *testing.T, port int, cmds []string) string {
	t.Helper()
	var c net.Conn
	var err error
	instance.WaitFor(20*time.Second, func() bool {
		c, err = net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		return err == nil
	})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	rd := bufio.NewReader(c)
	var out strings.Builder
	reply := func() {
		for {
			line, err := rd.ReadString('\n')
			out.WriteString(line)
			if err != nil || len(line) < 4 || line[3] != '-' {
				return
			}
		}
	}
	reply()
	for _, cmd := range cmds {
		fmt.Fprintf(c, "%s\r\n", cmd)
		out.WriteString("> " + cmd + "\n")
		reply()
	}
	return out.String()
}

// cacheDump lists the cache with the real postmap, time stamps masked.
var stampRE = regexp.MustCompile(`\b\d{9,11}\b`)

func runVerify(t *testing.T, ours map[string]string, port int, mainExtra string) map[string]string {
	in := instance.New(t, instance.Local(verifyMain+mainExtra, verifyFiles(port), ours))
	out := map[string]string{}
	out["smtp"] = smtpSession(t, port, []string{"EHLO client.example", "MAIL FROM:<alice@remote.example>",
		"RCPT TO:<nobody@mx.delivspec.example>", "RCPT TO:<nosuchuser@mx.delivspec.example>",
		"RCPT TO:<nobody@mx.delivspec.example>", "RCPT TO:<NoSuchUser@mx.delivspec.example>", "QUIT"})
	out["smtp"] = strings.ReplaceAll(out["smtp"], "\r", "")

	// The service itself, through our client.
	c := verify.NewClient(in.Path("queue"), "verify", msg.Discard())
	c.Tries = 3
	defer c.Close()
	var q strings.Builder
	query := func(addr string) {
		st, rs, why := c.Query(addr)
		fmt.Fprintf(&q, "query %s: %d %d %q\n", addr, st, rs, why)
	}
	update := func(addr string, rs int, why string) {
		fmt.Fprintf(&q, "update %s %d %q: %d\n", addr, rs, why, c.Update(addr, rs, why))
	}
	query("nobody@mx.delivspec.example")
	query("nosuchuser@mx.delivspec.example")
	update("fake@[ipv6:2001:db8::1]", verify.RcptOK, "250 fine\x01")
	query("fake@[ipv6:2001:db8::1]")
	update("fake@[ipv6:2001:db8::1]", verify.RcptBounce, "550 no")
	query("fake@[ipv6:2001:db8::1]")
	update("bad@example.com", 7, "x")
	update("neg@example.com", verify.RcptDefer, "451 later")
	query("neg@example.com")
	update("neg@example.com", verify.RcptBounce, "550 gone")
	query("neg@example.com")
	out["queries"] = q.String()

	instance.WaitFor(10*time.Second, func() bool { return strings.Contains(in.Maillog(), "bad recipient status 7") })
	out["maillog"] = logLines(in, "postfix/verify[", "status=deliverable", "status=undeliverable", "NOQUEUE")
	// The daemon holds the cache locked while it runs.
	stopMaster(t, in)
	dump := in.Run("/usr/sbin/postmap", "-c", in.Path("etc"), "-s", "btree:"+in.Path("data/verify_cache"))
	lines := strings.Split(strings.TrimSpace(stampRE.ReplaceAllString(dump, "<T>")), "\n")
	out["cache"] = strings.Join(sortedCopy(lines), "\n")
	return out
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return c
}

func TestVerifyAgainstReal(t *testing.T) {
	for i, tc := range []struct{ name, main string }{
		{"btree", ""},
		{"proxy", "address_verify_map = proxy:btree:$data_directory/verify_cache\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := runVerify(t, nil, 28025+10*i, tc.main)
			got := runVerify(t, progs.Map(t, "verify"), 28026+10*i, tc.main)
			compare(t, got, want, 4)
			if testing.Verbose() {
				for k, v := range want {
					t.Logf("%s:\n%s", k, v)
				}
			}
		})
	}
}
