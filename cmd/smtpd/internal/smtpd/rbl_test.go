package smtpd

import (
	"bufio"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// listDNS answers DNS list queries from a map of name -> A records, with
// TXT records in txt.
type listDNS struct {
	tempfailDNS
	a   map[string][]string
	txt map[string]string
}

func (d listDNS) Host(string) DNSResult       { return DNSFound }
func (d listDNS) MailDomain(string) DNSResult { return DNSFound }
func (d listDNS) Addrs(name string) (DNSResult, []string) {
	if name == "tempfail.test" || strings.HasSuffix(name, ".down.test") {
		return DNSTempFail, nil
	}
	if a, ok := d.a[name]; ok {
		return DNSFound, a
	}
	return DNSNotFound, nil
}
func (d listDNS) Text(name string) string { return d.txt[name] }

func TestDNSLists(t *testing.T) {
	dns := listDNS{
		a: map[string][]string{
			"99.2.0.192.bl.test":         {"127.0.0.2"},
			"99.2.0.192.multi.test":      {"127.0.0.4", "127.0.0.10"},
			"99.2.0.192.wl.test":         {"127.0.0.5"},
			"spam.example.rhs.test":      {"127.0.0.2"},
			"client.example.rhs.test":    {"127.0.0.2"},
			"bad.helo.rhs.test":          {"127.0.0.2"},
			"elsewhere.example.rhs.test": {"127.0.0.2"},
		},
		txt: map[string]string{"99.2.0.192.bl.test": "listed at bl.test"},
	}
	client := Client{Name: "client.example", Addr: "192.0.2.99", Port: "4000", ServerAddr: "192.0.2.1", ServerPort: "25"}
	tests := []struct {
		name, restrictions, extra string
		lines                     []string
		want                      string
	}{
		{"rbl with txt", "reject_rbl_client bl.test", "",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using bl.test; listed at bl.test"},
		{"rbl filter miss", "reject_rbl_client multi.test=127.0.0.[2;3]", "",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"250 2.1.5 Ok"},
		{"rbl filter range", "reject_rbl_client multi.test=127.0.0.[8..12]", "",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using multi.test"},
		{"rbl tempfail", "reject_rbl_client down.test", "",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"250 2.1.5 Ok"},
		{"dnswl permits", "permit_dnswl_client wl.test, reject", "",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"250 2.1.5 Ok"},
		{"rhsbl client", "reject_rhsbl_client rhs.test", "",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"554 5.7.1 Service unavailable; Client host [client.example] blocked using rhs.test"},
		{"rhsbl helo", "reject_rhsbl_helo rhs.test", "",
			[]string{"HELO bad.helo", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"554 5.7.1 Service unavailable; Helo command [bad.helo] blocked using rhs.test"},
		{"rhsbl sender", "reject_rhsbl_sender rhs.test", "",
			[]string{"HELO h.example", "MAIL FROM:<x@spam.example>", "RCPT TO:<u@mx.example.com>"},
			"554 5.7.1 Service unavailable; Sender address [spam.example] blocked using rhs.test"},
		{"rhsbl recipient", "reject_rhsbl_recipient rhs.test", "",
			[]string{"HELO h.example", "MAIL FROM:<x@example.org>", "RCPT TO:<u@elsewhere.example>"},
			"554 5.7.1 Service unavailable; Recipient address [elsewhere.example] blocked using rhs.test"},
		{"custom template", "reject_rbl_client bl.test", "451 4.7.1 $rbl_domain says no to $client_address${rbl_reason?: $rbl_reason}",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"451 4.7.1 bl.test says no to 192.0.2.99: listed at bl.test"},
		{"bad template", "reject_rbl_client bl.test", "blocked",
			[]string{"HELO h.example", "MAIL FROM:<a@example.org>", "RCPT TO:<u@mx.example.com>"},
			"450 4.7.1 Service unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := baseParams()
			p["smtpd_recipient_restrictions"] = tc.restrictions + ", permit"
			p["smtpd_relay_restrictions"] = ""
			p["maps_rbl_reject_code"] = "554"
			p["default_rbl_reply"] = "$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using $rbl_domain${rbl_reason?; $rbl_reason}"
			if tc.extra != "" {
				p["default_rbl_reply"] = tc.extra
			}
			deps := newTestDeps(nil, []string{"mx.example.com"})
			deps.DNS = dns
			replies, log := chat(t, p, deps, client, tc.lines...)
			if got := replies[len(replies)-1]; got != tc.want {
				t.Errorf("got %q want %q\nlog: %q", got, tc.want, log)
			}
			if strings.HasPrefix(tc.want, "5") || strings.HasPrefix(tc.want, "4") {
				wantLog := "NOQUEUE: reject: RCPT from client.example[192.0.2.99]: " + tc.want + ";"
				if !strings.Contains(strings.Join(log, "\n"), wantLog) {
					t.Errorf("log lacks %q: %q", wantLog, log)
				}
			}
		})
	}
}

// TestRBLFilterErrors compares what becomes of a session whose
// reject_rbl_client reply filter does not parse with the real smtpd's
// fatal error: no reply, exit status 1, ipmatch's text behind "RBL reply
// error: ". The logger's exit ends the session goroutine as exit(3)
// ends the process.
func TestRBLFilterErrors(t *testing.T) {
	client := Client{Name: "localhost", Addr: "127.0.0.1", Port: "4000"}
	for _, row := range readGolden(t, "rbl-filter-errors.txt", 3) {
		t.Run(row[0], func(t *testing.T) {
			p := baseParams()
			p["smtpd_delay_reject"] = "no"
			p["smtpd_client_restrictions"] = "reject_rbl_client bl.example=" + row[0]
			deps := newTestDeps(nil, nil)
			deps.DNS = listDNS{}
			capture := &msg.Capture{}
			status := 0
			log := msg.New(capture)
			log.Exit = func(code int) {
				status = code
				runtime.Goexit()
			}
			deps.Log = log
			server, conn := net.Pipe()
			var session sync.WaitGroup
			session.Go(func() {
				defer server.Close()
				NewSession(NewConfig(p), deps, server, client).Serve()
			})
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			first, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil {
				first = "<EOF>"
			}
			conn.Close()
			session.Wait()
			if got := strings.TrimSuffix(first, "\r\n"); got != row[1] {
				t.Errorf("first reply %q, want %q", got, row[1])
			}
			if row[2] == "-" {
				if status != 0 || strings.Contains(capture.String(), "fatal:") {
					t.Errorf("exit status %d, log %q", status, capture.Lines)
				}
				return
			}
			want := []string{"connect from localhost[127.0.0.1]", row[2]}
			if strings.Join(capture.Lines, "\n") != strings.Join(want, "\n") || status != 1 {
				t.Errorf("log %q, exit status %d; want %q, 1", capture.Lines, status, want)
			}
		})
	}
}
