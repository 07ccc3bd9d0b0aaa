package smtpd

import (
	"bufio"
	"cmp"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/tests/internal/testmilter"
)

// Ports of the Milter tests (34100-34199): each side has its own test
// milters, so that the packet logs do not mix; the smtpd service pairs
// of the cases follow.
const (
	milterRealPort    = 34100 // first milter of the real smtpd; 34101 the second
	milterOurPort     = 34102 // first milter of ours; 34103 the second
	milterDeadPort    = 34104 // nobody listens here
	milterDovecotPort = 34198 // the fake Dovecot auth server
	milterCaseBase    = 34105 // service pair i: real smtpd on base+2i, ours on base+2i+1
	milterCaseLimit   = 34199
)

// milterCase is one differential Milter session: the smtpd settings
// (master.cf -o overrides, with @M1@ and @M2@ standing for the side's
// first and second milter, @DEAD@ for a port nobody listens on), the
// milters' scripts and the client lines. A client line "DATA" is
// followed by the message lines of the case.
type milterCase struct {
	name    string
	opts    []string
	script  testmilter.Script
	script2 testmilter.Script
	lines   []string
	// noMilter says that no milter is reached (down, disabled).
	noMilter bool
	// fatal says that smtpd ends with a fatal error at the connection.
	fatal bool
	// held says that the messages stay in the hold queue, where their
	// queue files are compared.
	held bool
	// proxy is a PROXY protocol line the client sends first.
	proxy string
	// from are the client addresses of the sessions, one after the
	// other, over the same smtpd process; default 127.0.0.1 alone.
	from []string
}

// milterBody is the message a DATA command of a case sends.
var milterBody = []string{"Subject: milter test", "From: <a@example.org>", "", "body line", "."}

// Milter session building blocks.
var (
	mlEHLO = "EHLO client.example.org"
	mlMAIL = "MAIL FROM:<a@example.org>"
	mlRCPT = "RCPT TO:<pfxtest@example.com>"
	mlFull = []string{mlEHLO, mlMAIL, mlRCPT, "DATA", "QUIT"}
)

// replies is a shorthand for a script's replies to one event.
func replies(cmd byte, r ...testmilter.Reply) map[byte][]testmilter.Reply {
	return map[byte][]testmilter.Reply{cmd: r}
}

var milterCases = []milterCase{
	{name: "accept-all", lines: mlFull},
	{name: "connect-reject", script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.Reject)},
		lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "connect-tempfail", script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.Tempfail)},
		lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "connect-421", script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.ReplyCode("421 4.7.0 go away now"))},
		lines: []string{mlEHLO}},
	{name: "connect-replycode", script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.ReplyCode("550 5.7.1 not you"))},
		lines: []string{mlEHLO, mlMAIL, "VRFY root", "ETRN example.com", "STARTTLS", "FOO", "QUIT"}},
	{name: "connect-discard", script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.Discard)},
		lines: mlFull},
	{name: "connect-accept", script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.Accept)},
		lines: mlFull},
	{name: "helo-reject", script: testmilter.Script{Replies: replies(testmilter.CmdHelo, testmilter.Reject)},
		lines: []string{mlEHLO, mlMAIL, "HELO again.example.org", "QUIT"}},
	{name: "helo-tempfail", script: testmilter.Script{Replies: replies(testmilter.CmdHelo, testmilter.Tempfail)},
		lines: []string{"HELO client.example.org", mlMAIL, "QUIT"}},
	{name: "helo-421", script: testmilter.Script{Replies: replies(testmilter.CmdHelo, testmilter.ReplyCode("421 4.3.2 closing"))},
		lines: []string{mlEHLO}},
	{name: "helo-shutdown", script: testmilter.Script{Replies: replies(testmilter.CmdHelo, testmilter.Shutdown)},
		lines: []string{mlEHLO, "QUIT"}},
	{name: "mail-reject", script: testmilter.Script{Replies: replies(testmilter.CmdMail, testmilter.Reject, testmilter.Continue)},
		lines: []string{mlEHLO, mlMAIL, "MAIL FROM:<b@example.org> SIZE=100", mlRCPT, "RSET", "QUIT"}},
	{name: "mail-replycode", script: testmilter.Script{Replies: replies(testmilter.CmdMail, testmilter.ReplyCode("451 4.7.1 later please"))},
		lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "mail-discard", script: testmilter.Script{Replies: replies(testmilter.CmdMail, testmilter.Discard)},
		lines: mlFull},
	{name: "rcpt-reject", script: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.Reject, testmilter.Continue)},
		lines: []string{mlEHLO, mlMAIL, mlRCPT, "RCPT TO:<root@example.com>", "DATA", "QUIT"}},
	{name: "rcpt-tempfail", script: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.Tempfail)},
		lines: []string{mlEHLO, mlMAIL, mlRCPT, "DATA", "QUIT"}},
	{name: "rcpt-discard", script: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.Discard)},
		lines: []string{mlEHLO, mlMAIL, mlRCPT, "RCPT TO:<root@example.com>", "DATA", "QUIT"}},
	{name: "rcpt-rejected-wanted", script: testmilter.Script{Protocol: testmilter.RcptRej},
		lines: []string{mlEHLO, mlMAIL, "RCPT TO:<x@elsewhere.example>", mlRCPT, "QUIT"}},
	{name: "data-reject", script: testmilter.Script{Replies: replies(testmilter.CmdData, testmilter.ReplyCode("554 5.7.0 no data for you"))},
		lines: mlFull},
	{name: "data-discard", script: testmilter.Script{Replies: replies(testmilter.CmdData, testmilter.Discard)},
		lines: mlFull},
	{name: "eom-quarantine", script: testmilter.Script{Before: replies(testmilter.CmdEOB, testmilter.QuarantineReply("looks odd"))},
		lines: mlFull, held: true},
	// Everything smtpd writes into a queue file, compared in the hold
	// queue: content_filter, the SASL login, the Milter hand-off.
	{name: "held-auth-filter", opts: []string{"smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot",
		"smtpd_sasl_path=inet:127.0.0.1:" + fmt.Sprint(milterDovecotPort), "content_filter=discard:filtered"},
		script: testmilter.Script{Before: replies(testmilter.CmdEOB, testmilter.QuarantineReply("hold it"))}, held: true,
		lines: []string{mlEHLO, "AUTH PLAIN AHRlc3QAc2VjcmV0", "MAIL FROM:<a@example.org> AUTH=<b@example.org> RET=HDRS ENVID=e1",
			"RCPT TO:<pfxtest@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;x@example.org", mlRCPT, "DATA", "QUIT"}},
	{name: "eom-reject", script: testmilter.Script{Replies: replies(testmilter.CmdEOB, testmilter.ReplyCode("550 5.7.1 content refused"))},
		lines: mlFull},
	{name: "unknown-command", script: testmilter.Script{Replies: replies(testmilter.CmdUnknown, testmilter.ReplyCode("502 5.5.1 what?"))},
		lines: []string{mlEHLO, "FOO bar baz", "QUIT"}},
	{name: "other-events", script: testmilter.Script{Replies: replies(testmilter.CmdHelo, testmilter.Tempfail)},
		lines: []string{mlEHLO, "VRFY user@example.com", "ETRN example.com", "STARTTLS", "QUIT"}},
	{name: "macros-custom", opts: []string{"milter_connect_macros={client_addr},{client_name},{client_ptr},{client_resolve},{client_port},{daemon_addr},{client_connections},_,j,v,{daemon_name}",
		"milter_helo_macros={tls_version},{cipher},{unknown_macro},{cert_subject}",
		"milter_mail_macros=i,{mail_addr},{mail_host},{mail_mailer},{auth_type}",
		"milter_rcpt_macros=i,{rcpt_addr},{rcpt_host},{rcpt_mailer}",
		"milter_data_macros=i,{mail_addr},{rcpt_addr}",
		"milter_unknown_command_macros=j,i",
		"milter_macro_defaults={unknown_macro}=dflt,{auth_type}=none,j=notused"},
		script: testmilter.Script{Protocol: testmilter.RcptRej},
		lines:  []string{mlEHLO, "BOGUS", mlMAIL, "RCPT TO:<\"odd user\"@example.com>", "RCPT TO:<x@elsewhere.example>", "DATA", "QUIT"}},
	{name: "auth-macros", opts: []string{"smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot",
		"smtpd_sasl_path=inet:127.0.0.1:" + fmt.Sprint(milterDovecotPort)},
		lines: []string{mlEHLO, "AUTH PLAIN AHRlc3QAc2VjcmV0", "MAIL FROM:<a@example.org> AUTH=<b@example.org>", mlRCPT, "DATA", "QUIT"}},
	// Our own verification sender is never refused as a recipient (the
	// milter still sees it), and as a sender it is used as configured.
	{name: "verify-sender", opts: []string{"smtpd_recipient_restrictions=reject"},
		lines: []string{mlEHLO, "MAIL FROM:<Double-Bounce@MX.example.com>", "RCPT TO:<double-bounce@mx.example.com>",
			"RCPT TO:<DOUBLE-BOUNCE@mx.example.com>", "RCPT TO:<double-bounce2@mx.example.com>", "RCPT TO:<double-bounce>", "QUIT"}},
	{name: "verify-sender-ttl", opts: []string{"smtpd_recipient_restrictions=reject", "address_verify_sender_ttl=1h", "address_verify_sender=probe@example.net"},
		lines: []string{mlEHLO, mlMAIL, "RCPT TO:<probe@example.net>", "RCPT TO:<probe0@example.net>", "RCPT TO:<probezz@example.net>",
			"RCPT TO:<probe" + queue.EncodeSafe(uint64(time.Now().Unix()/3600), 31, 0) + "@example.net>", "QUIT"}},
	{name: "tls-macros", opts: []string{"smtpd_tls_security_level=may", "smtpd_tls_cert_file=@ROOT@/etc/cert.pem",
		"smtpd_tls_key_file=@ROOT@/etc/key.pem"},
		lines: []string{mlEHLO, "STARTTLS", mlEHLO, mlMAIL, "QUIT"}},
	{name: "bad-milter-option", opts: []string{"smtpd_milters={inet:127.0.0.1:@M1@,bogus=1}"}, noMilter: true, fatal: true,
		lines: []string{mlEHLO}},
	{name: "bad-milter-transport", opts: []string{"smtpd_milters=foo:/bar,inet:127.0.0.1:@M1@"}, noMilter: true, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "bad-default-action", opts: []string{"smtpd_milters=inet:127.0.0.1:@DEAD@", "milter_default_action=bogus"}, noMilter: true,
		lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "protocol-2", opts: []string{"milter_protocol=2"}, lines: mlFull},
	{name: "protocol-bogus", opts: []string{"milter_protocol=bogus"}, noMilter: true, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "haproxy", opts: []string{"smtpd_upstream_proxy_protocol=haproxy", "milter_connect_macros={client_addr},{client_port},{daemon_addr},{daemon_port},_"},
		proxy: "PROXY TCP4 192.0.2.9 192.0.2.25 4444 2525", lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "unknown-client", opts: []string{"milter_connect_macros={client_name},{client_ptr},{client_resolve},_"},
		from: []string{"127.0.0.2"}, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "milter-closes-at-rcpt", script: testmilter.Script{Faults: map[byte]testmilter.Fault{testmilter.CmdRcpt: {Kind: testmilter.FaultClose}}},
		lines: []string{mlEHLO, mlMAIL, mlRCPT, mlRCPT, "QUIT"}},
	{name: "milter-garbage-at-helo", script: testmilter.Script{Faults: map[byte]testmilter.Fault{testmilter.CmdHelo: {Kind: testmilter.FaultGarbage, Data: []byte("\x00\x00\x00\x02zz")}}},
		lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "setsymlist", script: testmilter.Script{Actions: testmilter.SetSymList,
		SymLists: map[uint32]string{testmilter.StageConnect: "{client_addr} j", testmilter.StageMail: "{mail_addr}", testmilter.StageRcpt: "{rcpt_host}"}},
		lines: mlFull},
	{name: "noreply-flags", script: testmilter.Script{Protocol: testmilter.NRConn | testmilter.NRHelo | testmilter.NRMail | testmilter.NRRcpt | testmilter.NRData | testmilter.NoUnknown},
		lines: []string{mlEHLO, "BOGUS", mlMAIL, mlRCPT, "DATA", "QUIT"}},
	{name: "no-events", script: testmilter.Script{Protocol: testmilter.NoConnect | testmilter.NoHelo | testmilter.NoMail | testmilter.NoRcpt | testmilter.NoData},
		lines: mlFull},
	{name: "down-tempfail", opts: []string{"smtpd_milters=inet:127.0.0.1:@DEAD@"}, noMilter: true, lines: mlFull},
	{name: "down-accept", opts: []string{"smtpd_milters=inet:127.0.0.1:@DEAD@", "milter_default_action=accept"}, noMilter: true, lines: mlFull},
	{name: "down-reject", opts: []string{"smtpd_milters=inet:127.0.0.1:@DEAD@", "milter_default_action=reject"}, noMilter: true, lines: mlFull},
	{name: "down-quarantine", opts: []string{"smtpd_milters=inet:127.0.0.1:@DEAD@", "milter_default_action=quarantine"}, noMilter: true, lines: mlFull},
	{name: "timeout-mail", opts: []string{"milter_command_timeout=1s"},
		script: testmilter.Script{Faults: map[byte]testmilter.Fault{testmilter.CmdMail: {Kind: testmilter.FaultStall}}},
		lines:  []string{mlEHLO, mlMAIL, mlMAIL, "QUIT"}},
	{name: "two-milters", opts: []string{"smtpd_milters=inet:127.0.0.1:@M1@,inet:127.0.0.1:@M2@"},
		script2: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.ReplyCode("550 5.1.1 second says no"), testmilter.Continue)},
		lines:   []string{mlEHLO, mlMAIL, mlRCPT, "RCPT TO:<root@example.com>", "DATA", "QUIT"}},
	{name: "milter-maps", opts: []string{"smtpd_milters=inet:127.0.0.1:@M1@", "smtpd_milter_maps=inline:{127.0.0.1=inet:127.0.0.1:@M2@}"},
		script2: testmilter.Script{Replies: replies(testmilter.CmdMail, testmilter.Reject)},
		lines:   []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "milter-maps-missing", opts: []string{"smtpd_milter_maps=hash:@ROOT@/etc/missing"}, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "milter-maps-disable", opts: []string{"smtpd_milter_maps=inline:{127.0.0.1=DISABLE}"}, noMilter: true, lines: mlFull},
	// A session without Milters does not turn them off for the next
	// session of the same process (Postfix resets its process-wide
	// no_milters flag after each session).
	{name: "milter-maps-disable-sticks", opts: []string{"smtpd_milter_maps=inline:{127.0.0.2=DISABLE}"},
		from: []string{"127.0.0.2", "127.0.0.1"}, lines: mlFull},
	{name: "milter-maps-then-disable", opts: []string{"smtpd_milter_maps=inline:{127.0.0.2=DISABLE}"},
		from: []string{"127.0.0.1", "127.0.0.2", "127.0.0.1"}, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "per-milter-settings", opts: []string{"smtpd_milters={inet:127.0.0.1:@DEAD@,default_action=accept},inet:127.0.0.1:@M2@"},
		script2: testmilter.Script{Replies: replies(testmilter.CmdMail, testmilter.Reject)}, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "soft-bounce", opts: []string{"soft_bounce=yes"},
		script: testmilter.Script{Replies: map[byte][]testmilter.Reply{testmilter.CmdConnect: {testmilter.Reject},
			testmilter.CmdRcpt: {testmilter.ReplyCode("550 5.7.1 not this one")}}},
		lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "soft-bounce-rcpt", opts: []string{"soft_bounce=yes"},
		script: testmilter.Script{Replies: replies(testmilter.CmdRcpt, testmilter.ReplyCode("550 5.7.1 not this one"))},
		lines:  []string{mlEHLO, mlMAIL, mlRCPT, "QUIT"}},
	{name: "connect-reject-delay-reject-off", opts: []string{"smtpd_delay_reject=no"},
		script: testmilter.Script{Replies: replies(testmilter.CmdConnect, testmilter.Reject)},
		lines:  []string{"HELO client.example.org", mlMAIL, "VRFY root", "QUIT"}},
	{name: "no-milters-override", opts: []string{"receive_override_options=no_milters"}, noMilter: true, lines: mlFull},
	{name: "delay-reject-off", opts: []string{"smtpd_delay_reject=no", "smtpd_client_restrictions=check_client_access,inline:{127.0.0.1=REJECT}"},
		noMilter: true, lines: []string{mlEHLO, mlMAIL, "QUIT"}},
	{name: "client-restriction-first", opts: []string{"smtpd_helo_restrictions=reject_non_fqdn_helo_hostname", "smtpd_delay_reject=no"},
		script: testmilter.Script{Replies: replies(testmilter.CmdHelo, testmilter.Reject)},
		lines:  []string{"EHLO nodots", mlEHLO, mlMAIL, "QUIT"}},
	{name: "xclient", opts: []string{"smtpd_authorized_xclient_hosts=127.0.0.1"},
		lines: []string{mlEHLO, "XCLIENT NAME=mail.example.net ADDR=192.0.2.7 PORT=4711 HELO=xhelo.example.net", mlEHLO, mlMAIL, "QUIT"}},
	{name: "bdat", lines: []string{mlEHLO, mlMAIL, mlRCPT, "BDAT 20 LAST\r\nSubject: x\r\n\r\nbody", "QUIT"}},
}

// TestMilterDifferential runs each Milter case against the real smtpd
// and ours, each talking to its own test milter with the same script,
// and compares the SMTP replies, the packets each milter received (its
// log, with queue IDs, ports and dates masked) and the smtpd log lines.
// Ports 34100-34199.
func TestMilterDifferential(t *testing.T) {
	// Cases with the same settings share a service pair (the scripts
	// change between sessions), so that few ports are bound.
	service := map[string]int{}
	var master strings.Builder
	for _, mc := range milterCases {
		key := strings.Join(mc.opts, " ")
		if _, ok := service[key]; ok {
			continue
		}
		i := len(service)
		service[key] = i
		if milterCaseBase+2*i+1 > milterCaseLimit {
			t.Fatalf("%d service pairs do not fit the port range", i+1)
		}
		for side, prog := range []string{"smtpd", "gosmtpd"} {
			m1, m2 := milterRealPort, milterRealPort+1
			if side == 1 {
				m1, m2 = milterOurPort, milterOurPort+1
			}
			opts := append([]string{"smtpd_milters=inet:127.0.0.1:@M1@"}, mc.opts...)
			fmt.Fprintf(&master, "127.0.0.1:%d inet n - n - 1 %s", milterCaseBase+2*i+side, prog)
			for _, o := range opts {
				o = strings.NewReplacer("@M1@", fmt.Sprint(m1), "@M2@", fmt.Sprint(m2), "@DEAD@", fmt.Sprint(milterDeadPort)).Replace(o)
				fmt.Fprintf(&master, " -o %s", o)
			}
			master.WriteString("\n")
		}
	}
	waitPortsFree(t, milterCaseBase, milterCaseBase+2*len(service)-1, time.Minute)
	bin := ourBinaries(t)
	cert, key := selfSigned(t)
	in := newInstance(t, "", master.String(), map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")},
		map[string]string{"cert.pem": cert, "key.pem": key})
	startFakeDovecot(t, fmt.Sprintf("127.0.0.1:%d", milterDovecotPort))
	sides := [2][2]*testmilter.Server{}
	for side, base := range []int{milterRealPort, milterOurPort} {
		for k := range 2 {
			srv, err := testmilter.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+k), testmilter.Script{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			sides[side][k] = srv
		}
	}
	for _, mc := range milterCases {
		i := service[strings.Join(mc.opts, " ")]
		t.Run(mc.name, func(t *testing.T) {
			var logs [2][2]int
			for side := range 2 {
				sides[side][0].SetScript(mc.script)
				sides[side][1].SetScript(mc.script2)
				for k := range 2 {
					logs[side][k] = len(sides[side][k].Log())
				}
			}
			w := newLogWatch(in.path("log/maillog"))
			var tr [2]milterTranscript
			var wg sync.WaitGroup
			for side := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					from := mc.from
					if len(from) == 0 {
						from = []string{"127.0.0.1"}
					}
					for _, f := range from {
						one := milterSession(f, fmt.Sprintf("127.0.0.1:%d", milterCaseBase+2*i+side), mc.proxy, mc.lines)
						tr[side].replies = append(tr[side].replies, one.replies...)
						tr[side].err = cmp.Or(tr[side].err, one.err)
					}
				}()
			}
			wg.Wait()
			if tr[0].err != nil || tr[1].err != nil {
				t.Errorf("sessions: real %v, ours %v", tr[0].err, tr[1].err)
			}
			compareLines(t, "SMTP replies", maskAll(tr[0].replies), maskAll(tr[1].replies))
			sessions := max(len(mc.from), 1)
			realLog, ourLog := sessionLines(w, "smtpd", sessions), sessionLines(w, "gosmtpd", sessions)
			compareLines(t, "smtpd log", maskMilterPorts(0, realLog), maskMilterPorts(1, ourLog))
			// The content events ran in the (real) cleanup, with the
			// milters each smtpd handed over.
			cleanupLog := logLinesNow(w, "cleanup")
			compareLines(t, "cleanup log", maskMilterPorts(0, messageLines(cleanupLog, realLog)),
				maskMilterPorts(1, messageLines(cleanupLog, ourLog)))
			if mc.held {
				compareLines(t, "held queue files", heldFiles(in, realLog), heldFiles(in, ourLog))
			}
			contacted := false
			for k := range 2 {
				real := milterLogSince(sides[0][k], logs[0][k])
				ours := milterLogSince(sides[1][k], logs[1][k])
				compareLines(t, fmt.Sprintf("milter %d packets", k+1), real, ours)
				contacted = contacted || len(real) > 0
			}
			if contacted == mc.noMilter {
				t.Errorf("the real smtpd contacted a milter: %v, want %v", contacted, !mc.noMilter)
			}
			if len(tr[0].replies) < 2 && !mc.fatal {
				t.Errorf("the real smtpd answered only %q", tr[0].replies)
			}
		})
	}
}

// sessionLines returns prog's log lines once it has logged the end of n
// sessions, or a fatal error (waiting at most five seconds).
func sessionLines(w logWatch, prog string, n int) []string {
	var lines []string
	waitFor(5*time.Second, func() bool {
		lines = logLinesNow(w, prog)
		ended := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "disconnect from ") {
				ended++
			}
			if strings.HasPrefix(l, "fatal: ") {
				return true
			}
		}
		return ended >= n
	})
	return lines
}

// logLinesNow returns prog's log lines since the watch began, without
// waiting for more.
func logLinesNow(w logWatch, prog string) []string {
	data, err := os.ReadFile(w.path)
	if err != nil || int64(len(data)) < w.offset {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(data[w.offset:]), "\n") {
		if m := logPrefix.FindStringSubmatch(l); m != nil && m[1] == prog {
			out = append(out, m[2])
		}
	}
	return out
}

// heldFiles returns the postcat output of the messages that smtpdLog
// says its smtpd received, masked: times, sizes, ports, queue IDs,
// dates.
func heldFiles(in *instance, smtpdLog []string) []string {
	var out []string
	for _, l := range smtpdLog {
		id, rest, ok := strings.Cut(l, ": ")
		if !ok || !strings.HasPrefix(rest, "client=") {
			continue
		}
		text, err := in.run("/usr/sbin/postcat", "-c", in.path("etc"), "-q", id)
		if err != nil {
			out = append(out, fmt.Sprintf("postcat %s: %v", id, err))
			continue
		}
		text = postcatTimes.ReplaceAllString(in.Mask(text), "$1<MASKED>")
		for _, line := range strings.Split(text, "\n") {
			out = append(out, maskMilter(postcatPort.ReplaceAllString(line, "$1=PORT")))
		}
	}
	return out
}

var (
	postcatTimes = regexp.MustCompile(`(?m)^(\*\*\* ENVELOPE RECORDS |message_arrival_time: |create_time: |named_attribute: create_time=|message_size: ).*$`)
	postcatPort  = regexp.MustCompile(`(client_port|server_port)=\d+`)
)

// messageLines returns the lines of log about the messages that smtpdLog
// says its smtpd received, with message IDs masked.
func messageLines(log, smtpdLog []string) []string {
	ids := map[string]bool{}
	for _, l := range smtpdLog {
		if id, rest, ok := strings.Cut(l, ": "); ok && strings.HasPrefix(rest, "client=") {
			ids[id] = true
		}
	}
	var out []string
	for _, l := range log {
		if id, _, ok := strings.Cut(l, ": "); ok && ids[id] {
			out = append(out, maskMilter(l))
		}
	}
	return out
}

// waitPortsFree waits (at most limit) until every loopback port from
// first to last can be bound: the ports lie in the ephemeral range, and
// a client's socket there in TIME_WAIT makes master's bind fail.
func waitPortsFree(t *testing.T, first, last int, limit time.Duration) {
	t.Helper()
	busy := 0
	if !waitFor(limit, func() bool {
		for busy = first; busy <= last; busy++ {
			ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", busy))
			if err != nil {
				return false
			}
			ln.Close()
		}
		return true
	}) {
		t.Fatalf("port %d stayed busy for %v", busy, limit)
	}
}

// compareLines reports two line lists that differ.
func compareLines(t *testing.T, what string, real, ours []string) {
	t.Helper()
	if strings.Join(real, "\n") != strings.Join(ours, "\n") {
		t.Errorf("%s differ\n--- real\n%s\n--- ours\n%s", what, strings.Join(real, "\n"), strings.Join(ours, "\n"))
	}
}

// milterLogSince returns a milter's packet lines after the first skip,
// once its sessions have ended, masked; the "SESSION n" numbering is
// dropped.
func milterLogSince(srv *testmilter.Server, skip int) []string {
	var lines []string
	waitFor(5*time.Second, func() bool {
		started, ended := srv.Sessions()
		lines = srv.Log()
		return started == ended
	})
	var out []string
	for _, l := range lines[min(skip, len(lines)):] {
		if strings.HasPrefix(l, "SESSION ") {
			l = "SESSION"
		}
		out = append(out, maskMilter(l))
	}
	return out
}

// maskMilterPorts masks a side's log lines, its milters' addresses
// named MILTER1 and MILTER2.
func maskMilterPorts(side int, lines []string) []string {
	base := milterRealPort
	if side == 1 {
		base = milterOurPort
	}
	r := strings.NewReplacer(fmt.Sprintf("127.0.0.1:%d", base), "MILTER1", fmt.Sprintf("127.0.0.1:%d", base+1), "MILTER2")
	out := maskAll(lines)
	for i, l := range out {
		out[i] = r.Replace(l)
	}
	return out
}

var (
	messageID  = regexp.MustCompile(`<\d{14}\.`)
	milterPort = regexp.MustCompile(`(CONNECT "[^"]*" 4) \d+`)
	macroPort  = regexp.MustCompile(`"(\{(?:client|daemon)_port\})"="\d+"`)
	macroDate  = regexp.MustCompile(`\w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d [-+]\d{4} \(\w+\)`)
)

// maskMilter hides what differs between the two sides in a packet line:
// queue IDs, client and service ports, Received: dates.
func maskMilter(s string) string {
	s = milterPort.ReplaceAllString(s, "$1 PORT")
	s = macroPort.ReplaceAllString(s, `"$1"="PORT"`)
	s = macroDate.ReplaceAllString(s, "DATE")
	s = messageID.ReplaceAllString(s, "<DATETIME.")
	return mask(s)
}

// milterTranscript is what one smtpd answered in a Milter session.
type milterTranscript struct {
	replies []string
	err     error
}

// milterSession plays lines against addr, reading one complete reply
// (all its lines) for the greeting and after each line; "DATA" that
// gets a 354 sends milterBody. A hang-up ends the session with
// "<EOF>".
func milterSession(from, addr, proxy string, lines []string) milterTranscript {
	var tr milterTranscript
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	var conn net.Conn
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		tr.err = err
		return tr
	}
	// No TIME_WAIT on our side: the client's port may be one of ours.
	conn.(*net.TCPConn).SetLinger(0)
	defer func() { conn.Close() }()
	r := bufio.NewReader(conn)
	read := func() (string, bool) {
		for {
			conn.SetReadDeadline(time.Now().Add(15 * time.Second))
			line, err := r.ReadString('\n')
			if err != nil {
				if line == "" {
					tr.replies = append(tr.replies, "<EOF>")
					return "", false
				}
				tr.err = err
				return "", false
			}
			line = strings.TrimSuffix(line, "\r\n")
			tr.replies = append(tr.replies, line)
			if len(line) < 4 || line[3] != '-' {
				return line, true
			}
		}
	}
	send := func(s string) bool {
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, err := conn.Write([]byte(s + "\r\n"))
		return err == nil
	}
	if proxy != "" && !send(proxy) {
		tr.err = fmt.Errorf("cannot send the PROXY line")
		return tr
	}
	if _, ok := read(); !ok {
		return tr
	}
	for _, l := range lines {
		tr.replies = append(tr.replies, "> "+strings.SplitN(l, "\r\n", 2)[0])
		if !send(l) {
			tr.replies = append(tr.replies, "<EOF>")
			return tr
		}
		reply, ok := read()
		if !ok {
			return tr
		}
		if l == "STARTTLS" && strings.HasPrefix(reply, "220") {
			tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true})
			tc.SetDeadline(time.Now().Add(10 * time.Second))
			if err := tc.Handshake(); err != nil {
				tr.err = err
				return tr
			}
			conn, r = tc, bufio.NewReader(tc)
		}
		if l == "DATA" && strings.HasPrefix(reply, "354") {
			if !send(strings.Join(milterBody, "\r\n")) {
				return tr
			}
			if _, ok := read(); !ok {
				return tr
			}
		}
	}
	return tr
}
