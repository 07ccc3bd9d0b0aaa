package smtpd

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/xtext"
)

func TestXforwardFeatures(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  []string
	}{
		{"250-filter.example\r\n250 PIPELINING", nil},
		{"250-filter.example\r\n250-XFORWARD NAME ADDR PROTO HELO\r\n250 8BITMIME", []string{"NAME", "ADDR", "HELO", "PROTO"}},
		{"250-x\r\n250 xforward source\tport ident bogus", []string{"PORT", "IDENT", "SOURCE"}},
		// DOMAIN is not an attribute name; the keyword must come first.
		{"250-x\r\n250-XFORWARD DOMAIN\r\n250 FOO XFORWARD NAME", nil},
		{"250 XFORWARD", nil},
	} {
		mask := xforwardFeatures(tc.reply)
		var got []string
		for i, a := range proxyXforwardAttrs {
			if mask&(1<<i) != 0 {
				got = append(got, a)
			}
		}
		want := map[string]bool{}
		for _, a := range tc.want {
			want[a] = true
		}
		if len(got) != len(want) {
			t.Errorf("%q: got %v, want %v", tc.reply, got, tc.want)
			continue
		}
		for _, a := range got {
			if !want[a] {
				t.Errorf("%q: got %v, want %v", tc.reply, got, tc.want)
			}
		}
	}
}

func TestXtextQuote(t *testing.T) {
	for in, want := range map[string]string{
		"localhost":        "localhost",
		"[UNAVAILABLE]":    "[UNAVAILABLE]",
		"a+b=c d":          "a+2Bb=c+20d",
		"\x01\x7f\xc3\xa9": "+01+7F+C3+A9",
		"":                 "",
	} {
		if got := xtext.Quote(in, ""); got != want {
			t.Errorf("xtext.Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProxyEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:10025":        "inet:127.0.0.1:10025",
		"inet:[127.0.0.1]:10025": "inet:[127.0.0.1]:10025",
		"INET:host:smtp":         "inet:host:smtp",
		"unix:private/filter":    "unix:private/filter",
		"Unix:/run/f":            "unix:/run/f",
	} {
		if got := proxyEndpoint(in); got != want {
			t.Errorf("proxyEndpoint(%q) = %q, want %q", in, got, want)
		}
	}
}

// replySession is a session whose filter stream reads input.
func replySession(input string, limit int) (*Session, *msg.Capture) {
	capture := &msg.Capture{}
	cfg := NewConfig(baseParams())
	cfg.LineLimit = limit
	ss := &Session{cfg: cfg, log: msg.New(capture)}
	ss.proxy = &proxy{name: "filter:25", r: bufio.NewReader(strings.NewReader(input))}
	return ss, capture
}

func TestProxyReadReply(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		limit    int
		eof      bool
		warnings []string
	}{
		{in: "250 ok\r\n", want: "250 ok"},
		{in: "250\r\n", want: "250"},
		{in: "250-a\r\n250-b\r\n250 c\r\nextra", want: "250-a\r\n250-b\r\n250 c"},
		{in: "250-a\n\r\r\n550 x\r\n", want: "250-a\r\n\r\n550 x", warnings: []string{"received garbage from proxy filter:25: "}},
		{in: "25 short\r\n2500 long\r\n250 ok\r\n", want: "25 short\r\n2500 long\r\n250 ok",
			warnings: []string{"received garbage from proxy filter:25: 25 short", "received garbage from proxy filter:25: 2500 long"}},
		{in: "250 \x01bad\xff\r\n", want: "250 ?bad?"},
		{in: "550 " + strings.Repeat("x", 40) + "\r\n", limit: 20, want: "550 xxxxxxxxxxxxxxxx",
			warnings: []string{"filter:25: response longer than 20: 550 xxxxxxxxxxxxxxxx..."}},
		{in: "250-a\r\n", eof: true},
		{in: "", eof: true},
	} {
		limit := tc.limit
		if limit == 0 {
			limit = 2048
		}
		ss, capture := replySession(tc.in, limit)
		got, err := ss.proxyReadReply()
		if (err != nil) != tc.eof || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.eof)
		}
		var warnings []string
		for _, l := range capture.Lines {
			warnings = append(warnings, strings.TrimPrefix(l, "warning: "))
		}
		if strings.Join(warnings, "\n") != strings.Join(tc.warnings, "\n") {
			t.Errorf("%q: warnings %q, want %q", tc.in, warnings, tc.warnings)
		}
	}
}

func TestProxyOptions(t *testing.T) {
	p := baseParams()
	p["smtpd_proxy_filter"] = "127.0.0.1:10025"
	p["smtpd_proxy_options"] = "speed_adjust"
	if cfg := NewConfig(p); cfg.Err != nil || !cfg.ProxySpeedAdjust {
		t.Errorf("speed_adjust: %v, %v", cfg.ProxySpeedAdjust, cfg.Err)
	}
	p["smtpd_proxy_options"] = "speed_adjust, Speed_Adjust"
	if cfg := NewConfig(p); cfg.Err == nil || cfg.Err.Error() != `unknown smtpd_proxy_options value "Speed_Adjust" in "speed_adjust, Speed_Adjust"` {
		t.Errorf("bad option: %v", cfg.Err)
	}
	// Without a filter the options are not looked at.
	p["smtpd_proxy_filter"] = ""
	if cfg := NewConfig(p); cfg.Err != nil {
		t.Errorf("no filter: %v", cfg.Err)
	}
}

// fakeFilter is an in-process before-queue filter: it answers every
// command with a reply from replies (by upper-case prefix) or 250, and
// records what it receives.
type fakeFilter struct {
	wg      sync.WaitGroup // the connections being served
	mu      sync.Mutex
	replies map[string]string
	got     []string
}

func (f *fakeFilter) dial(endpoint string, timeout time.Duration) (net.Conn, error) {
	f.mu.Lock()
	f.got = append(f.got, "CONNECT "+endpoint)
	f.mu.Unlock()
	server, client := net.Pipe()
	f.wg.Go(func() { f.serve(server) })
	return client, nil
}

func (f *fakeFilter) reply(line string) string {
	best, r := -1, "250 Ok"
	for k, v := range f.replies {
		if strings.HasPrefix(strings.ToUpper(line), k) && len(k) > best {
			best, r = len(k), v
		}
	}
	return r
}

func (f *fakeFilter) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprintf(c, "%s\r\n", f.reply("GREETING"))
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\r\n")
		f.mu.Lock()
		f.got = append(f.got, line)
		f.mu.Unlock()
		switch {
		case inData && line == ".":
			inData = false
			fmt.Fprintf(c, "%s\r\n", f.reply("."))
		case inData:
		case strings.EqualFold(line, "DATA"):
			inData = true
			fmt.Fprintf(c, "354 go ahead\r\n")
		case strings.EqualFold(line, "QUIT"):
			return
		default:
			fmt.Fprintf(c, "%s\r\n", f.reply(line))
		}
	}
}

// filterSession runs a client input through a session with a filter.
func filterSession(t *testing.T, f *fakeFilter, opts map[string]string, input string) (replies []string, log []string) {
	t.Helper()
	p := baseParams()
	p["smtpd_proxy_filter"] = "filter.example:10025"
	p["smtpd_proxy_ehlo"] = "bqf.example"
	p["smtpd_proxy_timeout"] = "5s"
	for k, v := range opts {
		p[k] = v
	}
	cfg := NewConfig(p)
	capture := &msg.Capture{}
	deps := newTestDeps(capture, []string{"example.com"})
	deps.DialPolicy = f.dial
	server, client := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer server.Close()
		NewSession(cfg, deps, server, Client{Name: "client.example", Addr: "192.0.2.1", Port: "4321"}).Serve()
	}()
	go func() { _, _ = client.Write([]byte(input)) }()
	out, _ := io.ReadAll(client)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("session did not end")
	}
	return strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n"), capture.Lines
}

func TestProxySpeedAdjust(t *testing.T) {
	const input = "EHLO c.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<user@example.com>\r\n" +
		"RCPT TO:<other@example.com>\r\nDATA\r\n.x\r\n.\r\nQUIT\r\n"
	for _, tc := range []struct {
		name    string
		replies map[string]string
		last    string // the reply to the end of data
		logged  string
	}{
		{"accept", nil, "250 Ok", "proxy-accept: END-OF-MESSAGE: 250 Ok; from=<a@example.org> to=<user@example.com> proto=ESMTP helo=<c.example>"},
		{"rcpt-refused", map[string]string{"RCPT TO:<OTHER": "550 5.1.1 no"}, "550 5.1.1 no",
			"proxy-reject: END-OF-MESSAGE: 550 5.1.1 no; from=<a@example.org> to=<user@example.com> proto=ESMTP helo=<c.example>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeFilter{replies: tc.replies}
			replies, log := filterSession(t, f, map[string]string{"smtpd_proxy_options": "speed_adjust"}, input)
			// smtpd itself answers until the message is complete.
			want := []string{"250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>", tc.last, "221 2.0.0 Bye"}
			if len(replies) < len(want) {
				t.Fatalf("replies %q, log %q", replies, log)
			}
			if got := replies[len(replies)-len(want):]; strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("replies %q, want %q", got, want)
			}
			// Nothing reaches the filter before the end of data.
			wantGot := []string{"CONNECT inet:filter.example:10025", "EHLO bqf.example", "MAIL FROM:<a@example.org>",
				"RCPT TO:<user@example.com>", "RCPT TO:<other@example.com>"}
			if tc.replies == nil {
				wantGot = append(wantGot, "DATA", "Received: from c.example (client.example [192.0.2.1])",
					"\tby mx.example.com (Postfix) with ESMTP;", "\tDATE", ".x", ".")
			}
			wantGot = append(wantGot, "QUIT")
			f.wg.Wait() // the session closed its connections
			f.mu.Lock()
			defer f.mu.Unlock()
			for i, l := range f.got {
				if strings.HasPrefix(l, "\t") && !strings.HasPrefix(l, "\tby ") {
					f.got[i] = "\tDATE"
				}
			}
			if strings.Join(f.got, "\n") != strings.Join(wantGot, "\n") {
				t.Errorf("filter got\n%s\nwant\n%s", strings.Join(f.got, "\n"), strings.Join(wantGot, "\n"))
			}
			found := false
			for _, l := range log {
				found = found || l == tc.logged
			}
			if !found {
				t.Errorf("log lacks %q: %q", tc.logged, log)
			}
		})
	}
}

// FuzzProxyReply feeds arbitrary filter output to the reply reader: it
// must not panic, and a reply it returns ends with a "ddd" or "ddd "
// line, printable.
func FuzzProxyReply(f *testing.F) {
	for _, seed := range []string{"250 ok\r\n", "250-a\r\n250 b\r\n", "xx\r\n25\r\n250-\r\n550\n", "\xff\x00\r\n220 \xc3\xa9\r\n", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		ss, _ := replySession(input, 64)
		reply, err := ss.proxyReadReply()
		if err != nil {
			return
		}
		lines := strings.Split(reply, "\r\n")
		last := lines[len(lines)-1]
		if len(reply) < 64 && (len(last) < 3 || !isDigit(last[0]) || !isDigit(last[1]) || !isDigit(last[2]) || (len(last) > 3 && last[3] != ' ')) {
			t.Fatalf("reply %q ends with %q", reply, last)
		}
		for _, l := range lines {
			if printable(l) != l {
				t.Fatalf("reply %q has a line that is not printable: %q", reply, l)
			}
		}
	})
}
