package smtpd

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// FuzzSession feeds arbitrary client input to a whole session (config B
// restrictions, fake services): the engine must neither panic nor hang,
// and every reply line must start with a reply code.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<user@example.com>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n",
		"HELO\r\nMAIL FROM:<\r\nRCPT TO:<\"a\\\r\nBDAT 5 LAST\r\nabcde",
		"EHLO x\r\nMAIL FROM:<> SIZE=x RET=FULL ENVID=a+2\r\nRCPT TO:<a@b@c> NOTIFY=NEVER,SUCCESS ORCPT=rfc822;x\r\n",
		"XCLIENT ADDR=1.2.3.4\r\nXFORWARD NAME=x\r\nVRFY <@a,@b:c@d>\r\nETRN #x\r\nGET / HTTP/1.0\r\n",
		"XFORWARD ADDR=010.001.002.003 PORT=0025 PROTO=[UNAVAILABLE] SOURCE=[unavailable]\r\nXFORWARD ADDR=IPv6:::2\r\n" +
			"XCLIENT ADDR=127.000.000.001 NAME=[TEMPUNAVAIL]\r\nXCLIENT ADDR=IPv6:::ffff:1:2:3 REVERSE_NAME=[UNAVAILABLE]\r\n" +
			"XCLIENT ADDR=08.1.1.1\r\nXCLIENT ADDR=ipv6:[UNAVAILABLE] DESTADDR=<1.2.3.4>\r\nXCLIENT ADDR=[UNAVAILABLE]\r\n",
		"\x00\xff\r\n\n\r\r\n" + strings.Repeat("A", 3000) + "\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		p := configFor("20")
		cfg := NewConfig(p)
		cfg.Timeout = 2 * time.Second
		deps := newTestDeps(&msg.Capture{}, []string{"example.com"})
		deps.DialPolicy = nil
		server, client := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer server.Close()
			NewSession(cfg, deps, server, Client{Name: "localhost", Addr: "127.0.0.1", Port: "1"}).Serve()
		}()
		go func() {
			_, _ = client.Write([]byte(input))
			_, _ = client.Write([]byte("\r\nQUIT\r\n"))
		}()
		out, _ := io.ReadAll(client)
		client.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("session did not end")
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
			if len(line) < 4 || line[0] < '2' || line[0] > '5' || (line[3] != ' ' && line[3] != '-') {
				t.Fatalf("bad reply line %q", line)
			}
		}
	})
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		bad  bool
	}{
		{"MAIL FROM:<a@b> SIZE=1", []string{"MAIL", "FROM:", "<a@b>", "SIZE=1"}, false},
		{"MAIL FROM: <a b@c>", []string{"MAIL", "FROM:", "<a b@c>"}, false},
		{`RCPT TO:<"a>b"@c>`, []string{"RCPT", "TO:", `<"a>b"@c>`}, false},
		{"RCPT TO:<a@b", []string{"RCPT", "TO:", "<a@b"}, true},
		{"Subject: hi", []string{"Subject:", "hi"}, false},
		{"   ", nil, false},
	}
	for _, tc := range tests {
		toks := tokenize(tc.in)
		var got []string
		bad := false
		for _, tk := range toks {
			got = append(got, tk.val)
			bad = bad || tk.bad
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || bad != tc.bad {
			t.Errorf("tokenize(%q) = %q bad=%v, want %q bad=%v", tc.in, got, bad, tc.want, tc.bad)
		}
	}
}
