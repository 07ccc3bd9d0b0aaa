package postscreen

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// session is one client script: from is the client address.
type session struct {
	name string
	from string
	run  func(c *client)
}

// profile is a main.cf with the sessions that exercise it.
type profile struct {
	name     string
	mainCF   string
	sessions []session
}

const rcptTo = "RCPT TO:<pstest@mx.delivspec.example>"

// greeted reads the greeting: the pregreet teaser and the banner of
// postscreen's engine or of smtpd.
func greeted(c *client) { c.reply(10 * time.Second) }

// mail sends one message through the server behind the greeting.
func mail(subject string) func(c *client) {
	return func(c *client) {
		greeted(c)
		c.chat("EHLO client.example")
		c.chat("MAIL FROM:<sender@client.example>")
		c.chat(rcptTo)
		c.chat("DATA")
		c.send("Subject: " + subject + "\r\n\r\nhello\r\n.\r\n")
		c.reply(10 * time.Second)
		c.chat("QUIT")
		c.closed(5 * time.Second)
	}
}

// refused talks to postscreen's engine, which refuses the recipient.
func refused(c *client) {
	greeted(c)
	c.chat("EHLO client.example")
	c.chat("MAIL FROM:<sender@client.example>")
	c.chat(rcptTo)
	c.chat("QUIT")
	c.closed(5 * time.Second)
}

// pregreet talks before the greeting.
func pregreet(c *client) {
	c.send("EHLO early.example\r\n")
	c.reply(10 * time.Second)
	c.chat("MAIL FROM:<sender@client.example>")
	c.chat(rcptTo)
	c.chat("QUIT")
	c.closed(5 * time.Second)
}

// dropped expects the connection to end after the greeting phase.
func dropped(c *client) { c.closed(10 * time.Second) }

var profiles = []profile{
	{name: "enforce", mainCF: `postscreen_access_list = permit_mynetworks, cidr:@ROOT@/etc/psacl
postscreen_denylist_action = enforce
postscreen_greet_action = enforce
postscreen_dnsbl_sites = bl1.test*2, bl2.test=127.0.0.[2..3], wl.test*-3
postscreen_dnsbl_threshold = 2
postscreen_dnsbl_action = enforce
postscreen_dnsbl_reply_map = hash:@ROOT@/etc/dnsblreply
`, sessions: []session{
		{"pass new and deliver", "127.0.0.2", mail("first")},
		{"pass old from the cache", "127.0.0.2", mail("second")},
		{"pregreet enforced", "127.0.0.3", pregreet},
		{"dnsbl rank 2 enforced", "127.0.0.4", refused},
		{"dnsbl reply filtered out", "127.0.0.5", mail("filtered")},
		{"dnsbl allowlist weight", "127.0.0.6", mail("weighted")},
		{"dnsbl rank 3", "127.0.0.7", refused},
		{"access list reject enforced", "127.0.0.20", refused},
		{"access list permit", "127.0.0.21", mail("permitted")},
		{"access list dunno", "127.0.0.22", mail("dunno")},
		{"mynetworks", "127.0.0.1", mail("mynetworks")},
	}},
	{name: "drop", mainCF: `postscreen_access_list = permit_mynetworks, cidr:@ROOT@/etc/psacl
postscreen_blacklist_action = drop
postscreen_greet_action = drop
postscreen_dnsbl_sites = bl1.test*2, bl2.test
postscreen_dnsbl_action = drop
postscreen_dnsbl_reply_map = hash:@ROOT@/etc/dnsblreply
postscreen_dnsbl_ttl = 2h
`, sessions: []session{
		{"denylisted", "127.0.0.20", dropped},
		{"pregreet dropped", "127.0.0.3", func(c *client) { c.send("HELO x\r\n"); c.closed(10 * time.Second) }},
		{"dnsbl dropped", "127.0.0.4", dropped},
		{"dnsbl two addresses", "127.0.0.33", dropped},
		{"hangup before greeting", "127.0.0.2", func(c *client) {}},
		{"clean client", "127.0.0.23", mail("clean")},
	}},
	{name: "deep", mainCF: `postscreen_pipelining_enable = yes
postscreen_non_smtp_command_enable = yes
postscreen_bare_newline_enable = yes
postscreen_command_count_limit = 8
postscreen_dnsbl_sites = wl.test*-2
postscreen_dnsbl_allowlist_threshold = -1
`, sessions: []session{
		{"deep tests passed", "127.0.0.2", refused},
		{"deep tests passed before", "127.0.0.2", mail("deep")},
		{"dnsbl allowlisted", "127.0.0.8", mail("allowlisted")},
		{"pipelining", "127.0.0.9", func(c *client) {
			greeted(c)
			c.send("EHLO a.example\r\nMAIL FROM:<x@a.example>\r\n")
			c.reply(10 * time.Second)
			c.reply(10 * time.Second)
			c.chat(rcptTo)
			c.chat("QUIT")
			c.closed(5 * time.Second)
		}},
		{"non-smtp command", "127.0.0.10", func(c *client) {
			greeted(c)
			c.chat("GET / HTTP/1.0")
			c.closed(5 * time.Second)
		}},
		{"bare newline", "127.0.0.11", func(c *client) {
			greeted(c)
			c.send("EHLO a.example\n")
			c.reply(10 * time.Second)
			c.chat("MAIL FROM:<x@a.example>")
			c.chat(rcptTo)
			c.chat("QUIT")
			c.closed(5 * time.Second)
		}},
		{"commands", "127.0.0.12", func(c *client) {
			greeted(c)
			for _, cmd := range []string{"NOOP", "HELO", "HELO b.example", "VRFY", "VRFY x", "ETRN", "STARTTLS", "RSET", "XCLIENT x", "MAIL"} {
				c.chat(cmd)
			}
			c.closed(5 * time.Second)
		}},
		{"hangup in the engine", "127.0.0.14", func(c *client) {
			greeted(c)
			c.chat("EHLO a.example")
		}},
		{"data without rcpt", "127.0.0.13", func(c *client) {
			greeted(c)
			c.chat("EHLO a.example")
			c.chat("MAIL FROM:<\"quoted local\"@a.example>")
			c.chat("RCPT TO:<@route:pstest@mx.delivspec.example>")
			c.chat("DATA")
			c.closed(5 * time.Second)
		}},
	}},
	{name: "cache", mainCF: `postscreen_greet_ttl = 1s
postscreen_cache_retention_time = 1s
postscreen_cache_cleanup_interval = 2s
`, sessions: []session{
		{"pass and expire", "127.0.0.2", func(c *client) {
			mail("cached")(c)
			time.Sleep(5 * time.Second)
		}},
	}},
	{name: "veto", mainCF: `postscreen_whitelist_interfaces = !127.0.0.1 static:all
postscreen_access_list = permit_mynetworks, cidr:@ROOT@/etc/psacl
respectful_logging = no
`, sessions: []session{
		{"allowlist veto", "127.0.0.2", refused},
		{"blacklisted", "127.0.0.20", refused},
		{"whitelisted", "127.0.0.21", mail("whitelisted")},
	}},
	{name: "starttls", mainCF: `postscreen_tls_security_level = may
smtpd_tls_security_level = may
postscreen_pipelining_enable = yes
smtpd_tls_cert_file = @ROOT@/etc/cert.pem
smtpd_tls_key_file = @ROOT@/etc/key.pem
`, sessions: []session{
		{"starttls in the engine", "127.0.0.2", func(c *client) {
			greeted(c)
			c.chat("EHLO a.example")
			c.chat("MAIL FROM:<x@a.example>")
			c.chat("STARTTLS")
			c.startTLS()
			c.chat("MAIL FROM:<x@a.example>")
			c.chat("EHLO b.example")
			c.chat("STARTTLS")
			c.chat("MAIL FROM:<x@a.example>")
			c.chat(rcptTo)
			c.chat("QUIT")
			c.closed(5 * time.Second)
		}},
		{"after the deep tests", "127.0.0.2", mail("after tls")},
	}},
	{name: "footer", mainCF: `postscreen_access_list = permit_mynetworks, cidr:@ROOT@/etc/psacl
postscreen_denylist_action = enforce
postscreen_pipelining_enable = yes
smtpd_reject_footer = \c (client $client_address, $unknown_name)
postscreen_reject_footer_maps = regexp:@ROOT@/etc/footers
postscreen_expansion_filter = 0123456789.abcdefghijklmnopqrstuvwxyz
`, sessions: []session{
		{"denylisted, footer from the map", "127.0.0.20", refused},
		{"deep test, footer from smtpd_reject_footer", "127.0.0.2", refused},
	}},
	{name: "latency", mainCF: `postscreen_pipelining_enable = yes
postscreen_command_filter = tcp:` + slowTableAddr + `
`, sessions: []session{
		{"slow command filter", "127.0.0.2", func(c *client) {
			startSlowTable(c.t)
			greeted(c)
			c.chat("EHLO a.example")
			c.chat("QUIT")
			c.closed(10 * time.Second)
		}},
	}},
	{name: "haproxy", mainCF: `postscreen_upstream_proxy_protocol = haproxy
postscreen_upstream_proxy_timeout = 2s
`, sessions: []session{
		{"proxied client", "127.0.0.2", func(c *client) {
			c.send("PROXY TCP4 192.0.2.7 192.0.2.1 4711 25\r\n")
			mail("proxied")(c)
		}},
		{"bad proxy header", "127.0.0.2", func(c *client) {
			c.send("PROXY TCP4 192.0.2.7\r\n")
			c.closed(5 * time.Second)
		}},
		{"proxy v2 local", "127.0.0.3", func(c *client) {
			c.send("\r\n\r\n\x00\r\nQUIT\n\x20\x00\x00\x00")
			mail("local")(c)
		}},
	}},
}

// result is what one variant produced for a profile.
type result struct {
	transcripts [][]string
	screen      []string
	dnsblog     []string
	cleanup     map[string]bool
	mailbox     string
}

// runProfile runs the profile's sessions in order against one instance.
func runProfile(t *testing.T, p profile, v variant, port int) result {
	in := newInstance(t, v, port, p.mainCF)
	var res result
	for _, s := range p.sessions {
		c := dial(t, s.from, port)
		s.run(c)
		c.close()
		res.transcripts = append(res.transcripts, c.lines)
		time.Sleep(300 * time.Millisecond)
	}
	// Let smtpd finish, the mail arrive and the log settle.
	in.WaitQueueEmpty(20 * time.Second)
	var last string
	instance.WaitFor(10*time.Second, func() bool {
		cur := in.Maillog()
		same := cur == last
		last = cur
		return same && strings.Count(cur, "postscreen[") > 0
	})
	res.screen, res.dnsblog, res.cleanup = screenLog(in, port)
	res.mailbox = in.Mask(in.Read("out/pstest.mbox"))
	return res
}

// TestDifferential runs every profile against the real postscreen and
// dnsblog and against each mix with ours, in parallel, and compares.
func TestDifferential(t *testing.T) {
	requireDNS(t)
	variants := []variant{allReal, allOurs, ourScreen, ourDNSBLog}
	for pi, p := range profiles {
		t.Run(p.name, func(t *testing.T) {
			results := make([]result, len(variants))
			var wg sync.WaitGroup
			for vi, v := range variants {
				wg.Add(1)
				go func() {
					defer wg.Done()
					t.Run(v.name, func(t *testing.T) {
						results[vi] = runProfile(t, p, v, 30100+10*pi+vi)
					})
				}()
			}
			wg.Wait()
			want := results[0]
			if len(want.screen) == 0 {
				t.Fatalf("the real postscreen logged nothing")
			}
			t.Logf("real postscreen log:\n%s\nreal dnsblog log:\n%s", strings.Join(want.screen, "\n"), strings.Join(want.dnsblog, "\n"))
			for si, tr := range want.transcripts {
				t.Logf("session %q:\n%s", p.sessions[si].name, strings.Join(tr, "\n"))
			}
			for vi := 1; vi < len(variants); vi++ {
				got := results[vi]
				t.Run(variants[vi].name, func(t *testing.T) {
					for si := range p.sessions {
						if si < len(got.transcripts) {
							diffLines(t, fmt.Sprintf("session %q", p.sessions[si].name), want.transcripts[si], got.transcripts[si])
						}
					}
					diffLines(t, "postscreen log", want.screen, got.screen)
					diffLines(t, "dnsblog log", want.dnsblog, got.dnsblog)
					// How often the cache cleanup ran depends on when each
					// instance started; the kinds of result must match. An
					// entry may expire between two scans of one instance and
					// within one scan of the other.
					for line := range merge(want.cleanup, got.cleanup) {
						if want.cleanup[line] != got.cleanup[line] && !strings.Contains(line, "retained=1 dropped=0") {
							t.Errorf("cache cleanup line only in one of them (real %v): %s", want.cleanup[line], line)
						}
					}
					if got.mailbox != want.mailbox {
						t.Errorf("delivered mail differs:\nreal:\n%s\nours:\n%s", want.mailbox, got.mailbox)
					}
				})
			}
		})
	}
}

func merge(a, b map[string]bool) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// slowTableAddr is a tcp: lookup table that answers "not found" after
// 1.2 s, enough for postscreen's running average of lookup delays to
// pass 100 ms at the first lookup.
const slowTableAddr = "127.0.0.1:30199"

var slowTable sync.Once

// startSlowTable starts the slow table server once for the test binary.
func startSlowTable(t *testing.T) {
	slowTable.Do(func() {
		l, err := net.Listen("tcp", slowTableAddr)
		if err != nil {
			t.Errorf("slow table: %v", err)
			return
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					r := bufio.NewReader(c)
					for {
						c.SetDeadline(time.Now().Add(30 * time.Second))
						if _, err := r.ReadString('\n'); err != nil {
							return
						}
						time.Sleep(1200 * time.Millisecond)
						fmt.Fprint(c, "500 not found\n")
					}
				}()
			}
		}()
	})
}
