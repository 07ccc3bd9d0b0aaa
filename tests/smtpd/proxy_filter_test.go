package smtpd

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/testmilter"
)

// Ports of the before-queue filter tests (34600-34699).
const (
	proxyRealPort  = 34690 // the filter of the real smtpd
	proxyOurPort   = 34691 // the filter of ours
	proxyDeadPort  = 34699 // nobody listens here
	proxyMilter    = 34692 // the Milter of the real smtpd; 34693 that of ours
	proxyDovecot   = 34694 // the fake Dovecot auth server
	proxyCaseBase  = 34600 // service pair i: real smtpd on base+2i, ours on base+2i+1
	proxyCaseLimit = 34689
)

// proxyVariants are the smtpd settings of the cases (master.cf -o
// overrides; @P@ is the side's filter port).
var proxyVariants = map[string][]string{
	"base":       {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_proxy_timeout=2s"},
	"speed":      {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_proxy_options=speed_adjust"},
	"down":       {"smtpd_proxy_filter=127.0.0.1:" + fmt.Sprint(proxyDeadPort)},
	"open":       {"smtpd_proxy_filter=inet:[127.0.0.1]:@P@", "smtpd_delay_open_until_valid_rcpt=no", "smtpd_proxy_ehlo=bqf.example"},
	"xforward":   {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_authorized_xforward_hosts=127.0.0.0/8"},
	"size":       {"smtpd_proxy_filter=127.0.0.1:@P@", "message_size_limit=300"},
	"unix":       {"smtpd_proxy_filter=unix:private/@U@"},
	"cmdproxy":   {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_command_filter=pcre:@ROOT@/etc/command_filter.pcre"},
	"cmdmissing": {"smtpd_command_filter=hash:@ROOT@/etc/no_such_table"},
	"speeddown":  {"smtpd_proxy_filter=127.0.0.1:" + fmt.Sprint(proxyDeadPort), "smtpd_proxy_options=speed_adjust"},
	"openclean":  {"smtpd_delay_open_until_valid_rcpt=no"},
	"milter":     {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_milters=inet:127.0.0.1:@M@", "smtpd_sender_restrictions=$pxy_sender"},
	"nomilter":   {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_milters=inet:127.0.0.1:@M@", "receive_override_options=no_milters,no_address_mappings"},
	"limits":     {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_recipient_limit=2", "smtpd_recipient_overshoot_limit=1", "smtpd_hard_error_limit=3"},
	"xclient":    {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_authorized_xclient_hosts=127.0.0.0/8"},
	"tls": {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_tls_security_level=may", "smtpd_tls_cert_file=@ROOT@/etc/cert.pem",
		"smtpd_tls_key_file=@ROOT@/etc/key.pem", "smtpd_tls_received_header=yes"},
	"eod":      {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_end_of_data_restrictions=reject"},
	"eodclean": {"smtpd_end_of_data_restrictions=reject", "smtpd_data_restrictions=$pxy_data"},
	"sasl": {"smtpd_proxy_filter=127.0.0.1:@P@", "smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot",
		"smtpd_sasl_path=inet:127.0.0.1:" + fmt.Sprint(proxyDovecot), "smtpd_sasl_authenticated_header=yes", "smtpd_milters=inet:127.0.0.1:@M@"},
	"bcc":      {"smtpd_sender_restrictions=$pxy_bcc"},
	"delegate": {"smtpd_delay_reject=no", "smtpd_client_restrictions=$pxy_client", "smtpd_etrn_restrictions=$pxy_etrn"},
	"cmdfilter": {"smtpd_command_filter=pcre:@ROOT@/etc/command_filter.pcre",
		"smtpd_recipient_restrictions=check_recipient_access,inline:{{bad@example.com=REJECT}},permit_mynetworks,reject"},
}

// proxyCase is one session against the real smtpd and ours. steps are
// sent one after the other; each waits for as many replies as it has
// command lines (a step with several lines is a pipelined batch; a
// step that starts with "|" is message content, ended by ".", with one
// reply).
type proxyCase struct {
	name    string
	variant string
	script  proxyScript
	steps   []string
	// milter is the script of the Milter of the "milter" variant.
	milter testmilter.Script
	// held says that the messages stay in the hold queue, where their
	// queue files are compared.
	held bool
}

// Steps of the cases.
const (
	pxEHLO = "EHLO client.example.org"
	pxMAIL = "MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME"
	pxRCPT = "RCPT TO:<pfxtest@example.com> NOTIFY=SUCCESS,FAILURE"
	pxBody = "|Subject: proxy test\r\nFrom: <a@example.org>\r\n\r\nbody\r\n..leading dot\r\n."
)

var pxAccept = []string{pxEHLO, pxMAIL, pxRCPT, "DATA", pxBody, "QUIT"}

// xforwardEHLO announces XFORWARD.
const xforwardEHLO = "250-filter.example\n250-XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT\n250 PIPELINING"

var proxyCases = []proxyCase{
	{name: "accept", variant: "base", steps: pxAccept},
	{name: "xforward-announced", variant: "base", script: proxyScript{"EHLO": xforwardEHLO}, steps: pxAccept},
	{name: "xforward-domain-lowercase", variant: "base", script: proxyScript{"EHLO": "250-filter.example\n250 xforward domain name"}, steps: pxAccept},
	{name: "two-recipients", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "reject-mail", variant: "base", script: proxyScript{"MAIL": "550 5.7.1 Sender refused by filter"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, pxRCPT, "DATA", "QUIT"}},
	{name: "reject-rcpt", variant: "base", script: proxyScript{"RCPT TO:<PFXTEST@": "550 5.1.1 <pfxtest@example.com>: filter says no"},
		steps: []string{pxEHLO, pxMAIL, pxRCPT, "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "rcpt-multiline", variant: "base", script: proxyScript{"RCPT": "450-4.2.0 first line\n450 4.2.0 second line"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "QUIT"}},
	{name: "reject-data", variant: "base", script: proxyScript{"DATA": "554 5.5.1 No data today"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "RSET", "QUIT"}},
	{name: "reject-eod", variant: "base", script: proxyScript{".": "550 5.7.1 Spam detected"}, steps: pxAccept},
	{name: "tempfail-eod", variant: "base", script: proxyScript{".": "451 4.7.1 Try again later"}, steps: pxAccept},
	{name: "greeting-refused", variant: "base", script: proxyScript{"GREETING": "554 5.3.2 Not now"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, pxRCPT, "QUIT"}},
	{name: "ehlo-refused", variant: "base", script: proxyScript{"EHLO": "502 5.5.2 No EHLO"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "QUIT"}},
	{name: "xforward-refused", variant: "base", script: proxyScript{"EHLO": xforwardEHLO, "XFORWARD": "550 5.7.0 Go away"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "QUIT"}},
	{name: "data-positive", variant: "base", script: proxyScript{"DATA": "250 2.0.0 Ok"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "QUIT"}},
	{name: "garbage", variant: "base", script: proxyScript{"RCPT": "hello there\n25x what\n250 2.1.5 Ok"}, steps: pxAccept},
	{name: "proxy-down", variant: "down", steps: []string{pxEHLO, pxMAIL, pxRCPT, pxRCPT, "DATA", "QUIT"}},
	{name: "proxy-down-then-data", variant: "down", steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "QUIT"}},
	{name: "timeout-eod", variant: "base", script: proxyScript{".": "HANG"}, steps: pxAccept},
	{name: "timeout-greeting-then-ok", variant: "base", script: proxyScript{"GREETING": "HANG"},
		steps: []string{pxEHLO, pxMAIL, pxRCPT, "<SCRIPT>", "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "eod-restriction", variant: "eod", steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", pxBody, pxMAIL, "RSET", pxMAIL, pxRCPT, "QUIT"}},
	{name: "eod-restriction-cleanup", variant: "eodclean", steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", pxBody, "RCPT TO:<root@example.com>", "DATA", pxBody, pxMAIL, "RSET", "QUIT"}},
	{name: "data-defer-if-permit", variant: "eodclean", steps: []string{pxEHLO, "MAIL FROM:<dip@example.org>", pxRCPT, "RCPT TO:<root@example.com>", "DATA",
		"RSET", "MAIL FROM:<dip1@example.org>", pxRCPT, "DATA", "QUIT"}},
	{name: "sasl-authenticated", variant: "sasl", script: proxyScript{"EHLO": xforwardEHLO},
		steps: []string{pxEHLO, "AUTH PLAIN AHRlc3QAc2VjcmV0", "MAIL FROM:<a@example.org> AUTH=<a@example.org>", pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "sasl-milter-reject", variant: "sasl", milter: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.ReplyCode("550 5.7.1 not for you"))},
		steps: []string{pxEHLO, "AUTH PLAIN AHRlc3QAc2VjcmV0", "MAIL FROM:<a@example.org>", pxRCPT, "QUIT"}},
	{name: "bcc", variant: "bcc", held: true, steps: []string{pxEHLO, "MAIL FROM:<bccbad@example.org>", pxRCPT, "RSET", "MAIL FROM:<bcc@example.org>", pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "bcc-with-filter", variant: "milter", steps: []string{pxEHLO, "MAIL FROM:<bcc@example.org>", pxRCPT, "QUIT"}},
	{name: "hangup-rcpt", variant: "base", script: proxyScript{"RCPT": "CLOSE"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, pxRCPT, "QUIT"}},
	{name: "hangup-eod", variant: "base", script: proxyScript{".": "CLOSE"}, steps: pxAccept},
	{name: "pipelined", variant: "base", steps: []string{pxEHLO, pxMAIL + "\r\n" + pxRCPT + "\r\nRCPT TO:<root@example.com>\r\nDATA", pxBody, "QUIT"}},
	{name: "rset-in-the-middle", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "RSET", "MAIL FROM:<b@example.org>", "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "two-transactions", variant: "base", script: proxyScript{"RCPT TO:<ROOT@": "550 5.1.1 not root"},
		steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", pxBody, "MAIL FROM:<>", "RCPT TO:<root@example.com>", pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "smtpd-rejects-first", variant: "base", steps: []string{pxEHLO, pxMAIL, "RCPT TO:<nosuchuser@example.com>", "RCPT TO:<x@elsewhere.example>", pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "helo-smtp", variant: "base", script: proxyScript{"EHLO": xforwardEHLO}, steps: []string{"HELO client.example.org", "MAIL FROM:<a@example.org>", "RCPT TO:<pfxtest@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "bdat", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "BDAT 20\r\nSubject: x\r\n\r\n.dot\r\n", "BDAT 5 LAST\r\nend\r\n", "QUIT"}},
	{name: "bdat-lost", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "BDAT 20\r\nSubject: x\r\n\r\n.dot\r\n", "<SEND>BDAT 6 LAST\r\nend\r\n", "<CLOSE>"}},
	{name: "xforward-split", variant: "base", script: proxyScript{"EHLO": xforwardEHLO},
		steps: []string{"EHLO " + strings.Repeat("h", 300) + ".example", pxMAIL, pxRCPT, "QUIT"}},
	{name: "xforward-too-long", variant: "base", script: proxyScript{"EHLO": xforwardEHLO},
		steps: []string{"EHLO " + strings.Repeat("h=", 300) + ".example", pxMAIL, pxRCPT, "QUIT"}},
	{name: "tls", variant: "tls", steps: []string{pxEHLO, "STARTTLS", pxEHLO, pxMAIL, pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "speed-accept", variant: "speed", script: proxyScript{"EHLO": xforwardEHLO}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "speed-reject-rcpt", variant: "speed", script: proxyScript{"RCPT TO:<ROOT@": "550 5.1.1 not root"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "speed-down-greeting", variant: "speed", script: proxyScript{"GREETING": "421 4.3.2 busy"}, steps: pxAccept},
	{name: "delay-open-no", variant: "open", script: proxyScript{"EHLO": xforwardEHLO}, steps: pxAccept},
	{name: "delay-open-no-reject-mail", variant: "open", script: proxyScript{"MAIL": "553 5.1.8 bad sender"}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "QUIT"}},
	{name: "xforward-client", variant: "xforward", script: proxyScript{"EHLO": xforwardEHLO},
		steps: []string{pxEHLO, "XFORWARD NAME=up.example ADDR=192.0.2.7 PORT=4567 HELO=up-helo.example PROTO=ESMTP IDENT=ABC123 SOURCE=REMOTE", pxMAIL, pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "size-limit", variant: "size", steps: []string{pxEHLO, "MAIL FROM:<a@example.org>", pxRCPT, "DATA", "|" + strings.Repeat("0123456789012345678901234567890123456789\r\n", 10) + ".", "QUIT"}},
	{name: "unix-socket", variant: "unix", script: proxyScript{"EHLO": xforwardEHLO}, steps: pxAccept},
	{name: "command-filter-proxy", variant: "cmdproxy", steps: []string{pxEHLO, "MAIL FROM:<a@example.org> SIZE=1 BOGUS=1", pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "command-filter-lookup-error", variant: "cmdmissing", steps: []string{pxEHLO, "QUIT"}},
	{name: "speed-proxy-down", variant: "speeddown", steps: pxAccept},
	{name: "speed-rset", variant: "speed", steps: []string{pxEHLO, pxMAIL, pxRCPT, "RSET", "QUIT"}},
	{name: "delay-open-no-cleanup", variant: "openclean", steps: []string{pxEHLO, pxMAIL, "RSET", "QUIT"}},
	{name: "long-reply", variant: "base", script: proxyScript{"RCPT": "550 5.1.1 " + strings.Repeat("x", 2100)}, steps: []string{pxEHLO, pxMAIL, pxRCPT, "QUIT"}},
	{name: "eod-multiline", variant: "base", script: proxyScript{".": "250-2.0.0 first\n250-2.0.0 second\n250 2.0.0 Ok: queued as 4F00A1B2C3D"}, steps: pxAccept},
	{name: "mailbox-line", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "|From someone Mon Nov 30 00:00:00 2026\r\n  folded start\r\nSubject: x\r\n\r\nbody\r\n.", "QUIT"}},
	{name: "xforward-client-not-announced", variant: "xforward", steps: []string{pxEHLO, "XFORWARD NAME=up.example ADDR=192.0.2.7", pxMAIL, pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "quit-mid-transaction", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "QUIT"}},
	{name: "client-lost-in-data", variant: "base", steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "<SEND>Subject: cut\r\n\r\npartial", "<CLOSE>"}},
	{name: "milter-accept", variant: "milter", steps: pxAccept},
	{name: "milter-rcpt-reject", variant: "milter", milter: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.Reject, testmilter.Continue)},
		steps: []string{pxEHLO, pxMAIL, pxRCPT, "RCPT TO:<root@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "milter-discard", variant: "milter", milter: testmilter.Script{Replies: replies(testmilter.CmdMail, testmilter.Discard)}, steps: pxAccept},
	{name: "milter-data-tempfail", variant: "milter", milter: testmilter.Script{Replies: replies(testmilter.CmdData, testmilter.Tempfail)},
		steps: []string{pxEHLO, pxMAIL, pxRCPT, "DATA", "QUIT"}},
	{name: "access-actions", variant: "milter", steps: []string{pxEHLO, "MAIL FROM:<hold@example.org>", pxRCPT, "DATA", pxBody,
		"MAIL FROM:<redir@example.org>", pxRCPT, "DATA", pxBody, "MAIL FROM:<disc@example.org>", pxRCPT, "RSET",
		"MAIL FROM:<filt@example.org>", pxRCPT, "QUIT"}},
	{name: "access-actions-no-transaction", variant: "delegate", steps: []string{pxEHLO, "ETRN example.com", "ETRN example.net", "QUIT"}},
	{name: "receive-override-no-milters", variant: "nomilter", steps: pxAccept},
	{name: "recipient-limit", variant: "limits", steps: []string{pxEHLO, pxMAIL, pxRCPT, "RCPT TO:<root@example.com>", "RCPT TO:<postmaster@example.com>",
		"RCPT TO:<a@example.com>", "DATA", pxBody, "QUIT"}},
	{name: "xclient-then-filter", variant: "xclient", script: proxyScript{"EHLO": xforwardEHLO},
		steps: []string{pxEHLO, "XCLIENT NAME=up.example ADDR=192.0.2.9 PORT=2525 HELO=xhelo.example PROTO=SMTP", "HELO again.example", pxMAIL, pxRCPT, "DATA", pxBody, "QUIT"}},
	{name: "filter-announces-xclient", variant: "base", script: proxyScript{"EHLO": "250-filter.example\n250-XCLIENT NAME ADDR PROTO HELO\n250 XFORWARD ADDR"}, steps: pxAccept},
	{name: "speed-pipelined", variant: "speed", script: proxyScript{"DATA": "451 4.3.0 not now"},
		steps: []string{pxEHLO, pxMAIL + "\r\n" + pxRCPT + "\r\nRCPT TO:<root@example.com>\r\nDATA", pxBody, "QUIT"}},
	{name: "command-filter", variant: "cmdfilter", steps: []string{pxEHLO, "MAIL FROM:<a@example.org> SIZE=1 BOGUS=1", "RCPT TO:<rewrite-me@example.com>", "NOOP please", "  FOO bar", "QUIT"}},
}

// proxyMainCF names the restriction lists of the cases.
const proxyMainCF = `pxy_sender = check_sender_access inline:{{hold@example.org=HOLD}, {redir@example.org=REDIRECT x@example.net}, {bcc@example.org=BCC c@example.com},
	{disc@example.org=DISCARD}, {filt@example.org=FILTER smtp:[127.0.0.1]:25}}
pxy_data = check_sender_access inline:{{dip@example.org=DEFER_IF_PERMIT maybe later}, {dip1@example.org=DEFER_IF_PERMIT one}}, permit
pxy_bcc = check_sender_access inline:{{bcc@example.org=BCC copy@example.com}, {bccbad@example.org=BCC nodomain}},
	check_sender_access inline:{{bcc@example.org=BCC second@example.com}}, check_sender_access inline:{{bcc@example.org=HOLD}}
pxy_client = check_client_access inline:{{127.0.0.1=HOLD}}
pxy_etrn = check_etrn_access inline:{{example.com=FILTER smtp:x}, {example.net=DISCARD}}, permit
`

// cmdFilterPCRE is smtpd_command_filter's table for the cmdfilter
// variant.
const cmdFilterPCRE = `/^(MAIL FROM:\S+) .*BOGUS=\S+/ $1
/^RCPT TO:<rewrite-me@(.*)>/ RCPT TO:<bad@$1>
/^NOOP .*/ HELP
/^FOO/ NOOP
`

// TestProxyFilter runs each case's session against the real smtpd and
// ours, each with its own scripted before-queue filter, and compares the
// client's replies, what the filters received and the smtpd log lines.
func TestProxyFilter(t *testing.T) {
	service := map[string]int{}
	var master strings.Builder
	for _, pc := range proxyCases {
		if _, ok := service[pc.variant]; ok {
			continue
		}
		i := len(service)
		service[pc.variant] = i
		if proxyCaseBase+2*i+1 > proxyCaseLimit {
			t.Fatalf("%d service pairs do not fit the port range", i+1)
		}
		for side, prog := range []string{"smtpd", "gosmtpd"} {
			port := []int{proxyRealPort, proxyOurPort}[side]
			fmt.Fprintf(&master, "127.0.0.1:%d inet n - n - 1 %s", proxyCaseBase+2*i+side, prog)
			for _, o := range proxyVariants[pc.variant] {
				o = strings.NewReplacer("@P@", fmt.Sprint(port), "@M@", fmt.Sprint(proxyMilter+side),
					"@U@", []string{"bqf-real", "bqf-ours"}[side]).Replace(o)
				fmt.Fprintf(&master, " -o %s", o)
			}
			master.WriteString("\n")
		}
	}
	waitPortsFree(t, proxyCaseBase, proxyCaseBase+2*len(service)-1, time.Minute)
	bin := ourBinaries(t)
	cert, key := selfSigned(t)
	in := newInstance(t, proxyMainCF, master.String(), map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")},
		map[string]string{"command_filter.pcre": cmdFilterPCRE, "cert.pem": cert, "key.pem": key})
	servers := [2]*proxyServer{startProxyServer(t, fmt.Sprintf("127.0.0.1:%d", proxyRealPort)),
		startProxyServer(t, fmt.Sprintf("127.0.0.1:%d", proxyOurPort))}
	startFakeDovecot(t, fmt.Sprintf("127.0.0.1:%d", proxyDovecot))
	var milters [2]*testmilter.Server
	for side := range 2 {
		srv, err := testmilter.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", proxyMilter+side), testmilter.Script{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		milters[side] = srv
	}
	unixServers := [2]*proxyServer{startProxyServer(t, in.path("queue/private/bqf-real")),
		startProxyServer(t, in.path("queue/private/bqf-ours"))}
	for _, pc := range proxyCases {
		i := service[pc.variant]
		t.Run(pc.name, func(t *testing.T) {
			srv := servers
			if pc.variant == "unix" {
				srv = unixServers
			}
			var skip, milterSkip [2]int
			for side := range 2 {
				skip[side] = srv[side].setScript(pc.script)
				milters[side].SetScript(pc.milter)
				milterSkip[side] = len(milters[side].Log())
			}
			w := newLogWatch(in.path("log/maillog"))
			tr := onBothSides(func(side int) milterTranscript {
				return proxySession(fmt.Sprintf("127.0.0.1:%d", proxyCaseBase+2*i+side), pc.steps,
					func() { srv[side].setScript(nil) })
			})
			if tr[0].err != nil || tr[1].err != nil {
				t.Errorf("sessions: real %v, ours %v", tr[0].err, tr[1].err)
			}
			compareLines(t, "SMTP replies", maskProxy(tr[0].replies), maskProxy(tr[1].replies))
			realLog, ourLog := sessionLines(w, "smtpd", 1), sessionLines(w, "gosmtpd", 1)
			compareLines(t, "smtpd log", maskProxy(realLog), maskProxy(ourLog))
			t.Logf("the real smtpd logged:\n%s", strings.Join(realLog, "\n"))
			if pc.held {
				compareLines(t, "held queue files", maskProxy(heldFiles(in, realLog)), maskProxy(heldFiles(in, ourLog)))
			}
			realGot, ourGot := srv[0].since(skip[0]), srv[1].since(skip[1])
			compareLines(t, "filter input", maskProxy(realGot), maskProxy(ourGot))
			if pc.variant == "milter" || pc.variant == "nomilter" || pc.variant == "sasl" {
				compareLines(t, "Milter packets", milterLogSince(milters[0], milterSkip[0]), milterLogSince(milters[1], milterSkip[1]))
			}
			if len(tr[0].replies) < 3 {
				t.Errorf("the real smtpd answered only %q", tr[0].replies)
			}
		})
	}
}

// onBothSides runs the real smtpd's session and ours at the same time.
func onBothSides(session func(side int) milterTranscript) [2]milterTranscript {
	var tr [2]milterTranscript
	var wg sync.WaitGroup
	for side := range 2 {
		wg.Go(func() { tr[side] = session(side) })
	}
	wg.Wait()
	return tr
}

var (
	proxyDate = regexp.MustCompile(`\w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d [-+]\d{4} \(\w+\)`)
	proxyPort = regexp.MustCompile(`PORT=\d+`)
	proxyName = regexp.MustCompile(`127\.0\.0\.1\]?:(` + fmt.Sprint(proxyRealPort) + `|` + fmt.Sprint(proxyOurPort) + `)\b`)
)

// maskProxy hides what differs between the two sides: queue IDs, dates,
// client ports and the filter's address.
func maskProxy(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		l = proxyDate.ReplaceAllString(l, "DATE")
		l = proxyPort.ReplaceAllString(l, "PORT=N")
		l = proxyName.ReplaceAllString(l, "FILTER")
		out[i] = mask(l)
	}
	return out
}

// proxySession plays the steps of a case against addr and returns the
// replies, each step's first line marked with "> ". Special steps:
// "<SEND>text" sends text and waits for nothing, "<CLOSE>" hangs up,
// "<SCRIPT>" calls defaults (the filter answers plainly from then on).
func proxySession(addr string, steps []string, defaults func()) milterTranscript {
	var tr milterTranscript
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		tr.err = err
		return tr
	}
	conn.(*net.TCPConn).SetLinger(0)
	defer func() { conn.Close() }()
	r := bufio.NewReader(conn)
	read := func() bool {
		for {
			conn.SetReadDeadline(time.Now().Add(15 * time.Second))
			line, err := r.ReadString('\n')
			if err != nil {
				tr.replies = append(tr.replies, "<EOF>")
				return false
			}
			line = strings.TrimSuffix(line, "\r\n")
			tr.replies = append(tr.replies, line)
			if len(line) < 4 || line[3] != '-' {
				return true
			}
		}
	}
	if !read() {
		return tr
	}
	for _, st := range steps {
		n := strings.Count(st, "\r\n") + 1
		data := st + "\r\n"
		switch {
		case st == "<CLOSE>":
			return tr
		case st == "<SCRIPT>":
			defaults()
			continue
		case strings.HasPrefix(st, "<SEND>"):
			n, data = 0, st[len("<SEND>"):]
		case strings.HasPrefix(st, "|"):
			n, data = 1, st[1:]+"\r\n"
		case strings.HasPrefix(st, "BDAT "):
			n, data = 1, st
		}
		tr.replies = append(tr.replies, "> "+strings.SplitN(data, "\r\n", 2)[0])
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Write([]byte(data)); err != nil {
			tr.replies = append(tr.replies, "<EOF>")
			return tr
		}
		for range n {
			if !read() {
				return tr
			}
		}
		if st == "STARTTLS" && strings.HasPrefix(tr.replies[len(tr.replies)-1], "220") {
			tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true})
			tc.SetDeadline(time.Now().Add(10 * time.Second))
			if err := tc.Handshake(); err != nil {
				tr.err = err
				return tr
			}
			conn, r = tc, bufio.NewReader(tc)
		}
	}
	return tr
}
