package smtpclient

import (
	"crypto/sha256"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// base is the first stub port; golden port 36030+n is base+n here.
const base = 27030

// modes are the stub behaviours, by offset from base (the golden port
// map of reference/smtp-client/README.md).
var modes = map[int]mode{
	0:  {},
	1:  {greet: "554 5.7.1 stub.example.net no service for you"},
	2:  {greet: "421 4.3.2 stub.example.net busy, try later"},
	3:  {greet: "-"},
	4:  {greet: "sleep"},
	5:  {ehlo: "502 5.5.1 EHLO not implemented"},
	6:  {ehlo: "550 5.7.1 go away", helo: "550 5.7.1 really go away"},
	7:  {mail: "553 5.1.8 <{arg}>: Sender address rejected: Domain not found"},
	8:  {mail: "451 4.3.0 temporary sender problem"},
	9:  {},
	11: {data: "554 5.5.1 Error: no valid recipients"},
	12: {eod: "552 5.3.4 Message too big for system"},
	13: {eod: "451 4.3.0 Error: queue file write error"},
	14: {dropData: true},
	15: {eod: "-"},
	16: {eod: "sleep"},
	17: {ext: []string{"stub.example.net", "PIPELINING", "SIZE 100", "8BITMIME"}},
	18: {ext: []string{"stub.example.net", "PIPELINING", "SIZE 10240000"}},
	21: {starttls: "srv"},
	23: {starttls: "454"},
	24: {auth: "ok"},
	25: {auth: "fail"},
	26: {ext: []string{"stub.example.net", "SIZE 10240000", "8BITMIME", "DSN"}},
	27: {mail: "sleep"},
	28: {mail: "-"},
	29: {ext: []string{"stub.example.net", "PIPELINING", "XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT"}},
	30: {lmtp: true},
	31: {mail: "hello there"},
	32: {ehlo: "421 4.7.0 stub.example.net closing connection"},
	33: {starttls: "drop"},
	34: {rcptAll: "550 5.1.1 <{arg}>: Recipient address rejected: User unknown in virtual mailbox table"},
	35: {eod: "421 4.4.2 closing, too many errors"},
	37: {rcptSleep: true},
	38: {ehlo: "sleep"},
	39: {ehlo: "-"},
	40: {rcptDrop: true},
	41: {data: "sleep"},
	42: {data: "-"},
	43: {fullBody: true},
	44: {fullBody: true},
	45: {},
	46: {starttls: "srv", logCipher: true},
	47: {starttls: "srv", logCipher: true},
	48: {starttls: "srv", logCipher: true},
	49: {starttls: "srv", logCipher: true},
	50: {fullBody: true},
	51: {greet: "220 ****************************************"},
}

// cases are the test messages: domain, recipients, transport, and
// sendmail options.
type testCase struct {
	domain    string
	rcpts     []string
	transport string
	opts      []string
	body      string
	// fatal: the client exits on the nexthop, no status is logged.
	fatal bool
}

func port(off int) string { return fmt.Sprintf("[127.0.0.1]:%d", base+off) }

func cases(root string) []testCase {
	c := func(d string, off int, svc string) testCase {
		return testCase{domain: d, rcpts: []string{"user@" + d}, transport: svc + ":" + port(off)}
	}
	list := []testCase{
		{domain: "ok.test", rcpts: []string{"user@ok.test"}, transport: "smtp:" + port(0),
			opts: []string{"-N", "success,failure", "-R", "hdrs", "-V", "env-123"}},
		c("greet554.test", 1, "smtp"), c("greet421.test", 2, "smtp"), c("dropgreet.test", 3, "smtp"),
		c("slowgreet.test", 4, "smtp"), c("ehlo502.test", 5, "smtp"), c("helo550.test", 6, "smtp"),
		c("mail553.test", 7, "smtp"), c("mail451.test", 8, "smtp"),
		{domain: "rcpt.test", rcpts: []string{"ok1@rcpt.test", "bad1@rcpt.test", "tmp1@rcpt.test"}, transport: "smtp:" + port(9)},
		c("data554.test", 11, "smtp"), c("eod552.test", 12, "smtp"), c("eod451.test", 13, "smtp"),
		c("dropdata.test", 14, "smtp"), c("dropeod.test", 15, "smtp"), c("sloweod.test", 16, "smtp"),
		c("size.test", 17, "smtp"),
		{domain: "no8bit.test", rcpts: []string{"u@no8bit.test"}, transport: "smtp:" + port(18), opts: []string{"-B", "8BITMIME"},
			body: "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGr\u00fc\u00dfe aus K\u00f6ln = test\nA very long line " + strings.Repeat("x", 100) + "\n.dot line\n"},
		c("nopipe.test", 26, "smtp"), c("slowmail.test", 27, "smtp"), c("dropmail.test", 28, "smtp"),
		c("xfwd.test", 29, "xfwd"), c("badreply.test", 31, "smtp"), c("ehlo421.test", 32, "smtp"),
		c("rcptall550.test", 34, "smtp"), c("eod421.test", 35, "smtp"), c("slowrcpt.test", 37, "smtp"),
		c("slowehlo.test", 38, "smtp"), c("dropehlo.test", 39, "smtp"), c("droprcpt.test", 40, "smtp"),
		c("slowdata.test", 41, "smtp"), c("dropdatacmd.test", 42, "smtp"), c("refused.test", 69, "smtp"),
		c("fallback.test", 69, "fbsmtp"), c("nohelo.test", 0, "nohelo"), c("noskip5xx.test", 1, "noskip"),
		c("tlsmay.test", 21, "tlsmay"), c("tlsenc.test", 21, "tlsenc"), c("tlsencplain.test", 0, "tlsenc"),
		c("tlsenc454.test", 23, "tlsenc"), c("tlsmay454.test", 23, "tlsmay"), c("tlsencdrop.test", 33, "tlsenc"),
		c("tlsverify.test", 21, "tlsverify"), c("tlssecure.test", 21, "tlssecure"),
		c("tlssecurebad.test", 21, "tlssecurebad"), c("tlsfp.test", 21, "tlsfp"), c("tlsfpbad.test", 21, "tlsfpbad"),
		c("sasl.test", 24, "saslsmtp"), c("saslfail.test", 25, "saslsmtp"), c("saslnomech.test", 24, "saslnomech"),
		c("saslnotoffered.test", 0, "saslsmtp"),
		{domain: "lmtpinet.test", rcpts: []string{"a1@lmtpinet.test", "lbad1@lmtpinet.test", "lfull1@lmtpinet.test"},
			transport: "lmtp:inet:" + port(30)},
		{domain: "lmtpunix.test", rcpts: []string{"a1@lmtpunix.test", "lbad1@lmtpunix.test"},
			transport: "lmtp:unix:" + root + "/stub/lmtp.sock"},
		c("lmtprefused.test", 69, "lmtp:inet"),
		{domain: "lmtpnosock.test", rcpts: []string{"user@lmtpnosock.test"}, transport: "lmtp:unix:" + root + "/stub/nonexistent.sock"},
		{domain: "badnexthop.test", rcpts: []string{"user@badnexthop.test"}, transport: "smtp:[bad..name]", fatal: true},
		{domain: "hbc.test", rcpts: []string{"user@hbc.test"}, transport: "hbc:" + port(43), body: hbcMessage},
		{domain: "generic.test", rcpts: []string{"user@generic.test", "plus+ext@generic.test", "joe@lan.generic.test",
			"other@generic.test"}, transport: "generic:" + port(44), body: genericMessage},
		{domain: "lan.generic.test", transport: "generic:" + port(44)},
		c("tlsexcl.test", 46, "tlsenc"), c("tlsgrade12.test", 47, "tlsenc"), c("tlsmay12.test", 48, "tlsmay"),
		c("tlsnociph.test", 49, "tlsnociph"), c("tlsbadgrade.test", 49, "tlsbadgrade"), c("tlsbadexcl.test", 49, "tlsbadexcl"),
		c("persite1.test", 21, "persite"), c("persite2.test", 23, "persite"), c("persite3.test", 47, "persite"),
		c("persite4.test", 48, "persite"), c("persite5.test", 49, "persite"),
		c("pix.test", 51, "smtp"), c("pixmap.test", 51, "pixmap"),
		c("flags.test", 50, "flagsrod"), c("hbcfail.test", 50, "hbcfail"), c("bodyfail.test", 50, "bodyfail"),
		c("rfilterfail.test", 50, "rfilterfail"),
		{domain: "flagsloop.test", rcpts: []string{"user@flagsloop.test"}, transport: "flagsrod:" + port(50),
			body: "Delivered-To: user@flagsloop.test\n\nlooping\n"},
		{domain: "flagsmulti.test", rcpts: []string{"a@flagsmulti.test", "b@flagsmulti.test"}, transport: "flagsmulti:" + port(50)},
		{domain: "lmtpfinal.test", rcpts: []string{"a1@lmtpfinal.test"}, transport: "lmtpfinal:inet:" + port(30)},
		{domain: "rfilter.test", rcpts: []string{"ok1@rfilter.test", "bad1@rfilter.test", "tmp1@rfilter.test"},
			transport: "rfilter:" + port(45)},
	}
	return list
}

// mainCF is the instance's main.cf (the paths come from package
// instance): the golden vectors' client settings with 2-second time
// limits, transport_maps pointing every test domain at the stub. There
// is no scache service: on-demand caching is off, because qmgr asks for
// it only when a destination happens to have a backlog, which made the
// real and our runs try the missing service at different times.
const mainCF = `myhostname = mx.smtpspec.example
mydomain = smtpspec.example
myorigin = $myhostname
mydestination = $myhostname, localhost
alias_maps =
local_recipient_maps =
append_dot_mydomain = no
inet_protocols = ipv4
relayhost = [127.0.0.1]:27030
recipient_delimiter = +
flagsrod_destination_recipient_limit = 1
queue_run_delay = 300s
minimal_backoff_time = 300s
maximal_backoff_time = 600s
transport_maps = texthash:@ROOT@/etc/transport
smtp_connect_timeout = 2s
smtp_helo_timeout = 2s
smtp_mail_timeout = 2s
smtp_rcpt_timeout = 2s
smtp_data_init_timeout = 2s
smtp_data_xfer_timeout = 2s
smtp_data_done_timeout = 2s
lmtp_lhlo_timeout = 2s
lmtp_data_done_timeout = 2s
smtp_tls_CAfile = @ROOT@/etc/ca.pem
smtp_tls_loglevel = 1
smtp_sasl_password_maps = texthash:@ROOT@/etc/sasl_passwd
smtp_sasl_security_options = noanonymous
smtp_tls_policy_maps = texthash:@ROOT@/etc/tls_policy
smtp_connection_cache_on_demand = no
lmtp_connection_cache_on_demand = no
`

// masterCF is a local-delivery system's with tlsmgr and the smtp and
// lmtp variants the cases name as transports.
const masterCF = instance.MasterCF + `tlsmgr    unix  -       -       n       1000?   1       tlsmgr
smtp      unix  -       -       n       -       -       smtp
lmtp      unix  -       -       n       -       -       lmtp
xfwd      unix  -       -       n       -       -       smtp -o smtp_send_xforward_command=yes
fbsmtp    unix  -       -       n       -       -       smtp -o smtp_fallback_relay=[127.0.0.1]:27030
nohelo    unix  -       -       n       -       -       smtp -o smtp_never_send_ehlo=yes -o smtp_helo_name=client.helo.example
noskip    unix  -       -       n       -       -       smtp -o smtp_skip_5xx_greeting=no
tlsmay    unix  -       -       n       -       -       smtp -o smtp_tls_security_level=may
tlsenc    unix  -       -       n       -       -       smtp -o smtp_tls_security_level=encrypt
tlsverify unix  -       -       n       -       -       smtp -o smtp_tls_security_level=verify -o smtp_tls_verify_cert_match=mx.tlsspec.test
tlssecure unix  -       -       n       -       -       smtp -o smtp_tls_security_level=secure -o smtp_tls_secure_cert_match=mx.tlsspec.test
tlssecurebad unix -     -       n       -       -       smtp -o smtp_tls_security_level=secure
tlsfp     unix  -       -       n       -       -       smtp -o smtp_tls_security_level=fingerprint -o smtp_tls_fingerprint_digest=sha256 -o smtp_tls_fingerprint_cert_match=@FP@
tlsfpbad  unix  -       -       n       -       -       smtp -o smtp_tls_security_level=fingerprint -o smtp_tls_fingerprint_digest=sha256 -o smtp_tls_fingerprint_cert_match=00:11:22
saslsmtp  unix  -       -       n       -       -       smtp -o smtp_sasl_auth_enable=yes
saslnomech unix -       -       n       -       -       smtp -o smtp_sasl_auth_enable=yes -o smtp_sasl_mechanism_filter=gssapi
hbc       unix  -       -       n       -       -       smtp -o smtp_header_checks=regexp:@ROOT@/etc/header_checks -o smtp_mime_header_checks=regexp:@ROOT@/etc/mime_header_checks -o smtp_nested_header_checks=regexp:@ROOT@/etc/nested_header_checks -o smtp_body_checks=regexp:@ROOT@/etc/body_checks
generic   unix  -       -       n       -       -       smtp -o smtp_generic_maps=texthash:@ROOT@/etc/generic
hbcfail   unix  -       -       n       -       -       smtp -o smtp_header_checks=fail:hbc
bodyfail  unix  -       -       n       -       -       smtp -o smtp_body_checks=fail:body
rfilterfail unix -      -       n       -       -       smtp -o smtp_reply_filter=fail:reply
persite   unix  -       -       n       -       -       smtp -o smtp_tls_policy_maps= -o smtp_tls_per_site=texthash:@ROOT@/etc/per_site -o smtp_tls_security_level=may
pixmap    unix  -       -       n       -       -       smtp -o smtp_pix_workaround_maps=texthash:@ROOT@/etc/pix -o smtp_pix_workaround_threshold_time=0 -o smtp_pix_workaround_delay_time=1s
flagsrod  unix  -       -       n       -       -       smtp flags=ROD
flagsmulti unix -       -       n       -       -       smtp flags=D
lmtpfinal unix  -       -       n       -       -       lmtp -o lmtp_assume_final=yes
tlsnociph unix  -       -       n       -       -       smtp -o smtp_tls_security_level=encrypt -o smtp_tls_mandatory_exclude_ciphers=HIGH,MEDIUM
tlsbadgrade unix -      -       n       -       -       smtp -o smtp_tls_security_level=encrypt -o smtp_tls_mandatory_ciphers=bogus
tlsbadexcl unix -       -       n       -       -       smtp -o smtp_tls_security_level=encrypt -o smtp_tls_exclude_ciphers=!RC4
rfilter   unix  -       -       n       -       -       smtp -o smtp_reply_filter=regexp:@ROOT@/etc/reply_filter
`

// run delivers every test case through one instance and returns the
// masked per-recipient status lines, the other client log lines and
// the stub transcripts.
func run(t *testing.T, swap map[string]string) (status map[string]string, other []string, trans map[string][]string) {
	pki := newPKI(t)
	fp := sha256.Sum256(pki.server.Certificate[0])
	var fps []string
	for _, b := range fp {
		fps = append(fps, fmt.Sprintf("%02X", b))
	}
	files := map[string]string{
		"etc/master.cf":   strings.ReplaceAll(masterCF, "@FP@", strings.Join(fps, ":")),
		"etc/ca.pem":      string(pki.caPEM),
		"etc/sasl_passwd": "[127.0.0.1]:27054 specuser:specpass\n[127.0.0.1]:27055 specuser:wrongpass\n[127.0.0.1]:27030 specuser:specpass\n",
		"etc/tls_policy": "[127.0.0.1]:27076 encrypt protocols=TLSv1.2 exclude=AESGCM:CHACHA20\n" +
			"[127.0.0.1]:27077 encrypt protocols=TLSv1.2 ciphers=high exclude=kRSA:AES128\n" +
			"[127.0.0.1]:27078 may protocols=!TLSv1.3\n",
	}
	files["etc/per_site"] = "[127.0.0.1]:27051 MUST_NOPEERMATCH\n[127.0.0.1]:27053 MUST_NOPEERMATCH\n" +
		"[127.0.0.1]:27077 NONE\n[127.0.0.1]:27078 BOGUS\n127.0.0.1 MAY\n"
	files["etc/pix"] = "127.0.0.1 delay_dotcrlf\n"
	for name, text := range contentTables {
		files[name] = text
	}
	in := instance.New(t, instance.Options{Prefix: "smtpclient", Main: mainCF, Master: masterCF, Files: files, Ours: swap})
	var tr strings.Builder
	tr.WriteString("bounces.test discard:\n")
	all := cases(in.Root)
	for _, c := range all {
		fmt.Fprintf(&tr, "%s %s\n", c.domain, c.transport)
	}
	in.Write("etc/transport", tr.String())
	if err := os.MkdirAll(in.Path("stub"), 0755); err != nil {
		t.Fatal(err)
	}
	st := newStub(t, &pki.server, 4*time.Second)
	for off, m := range modes {
		st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+off), fmt.Sprint(base+off), m)
	}
	st.listen("unix", in.Path("stub/lmtp.sock"), "unix", mode{lmtp: true})
	nrcpt := 0
	for _, c := range all {
		if len(c.rcpts) == 0 {
			continue
		}
		body := c.body
		if body == "" {
			body = "Hello for case " + c.domain + ".\n"
		}
		msg := "From: sender@bounces.test\nTo: " + c.rcpts[0] + "\nSubject: case " + c.domain + "\n" + body
		args := append([]string{"-f", "sender@bounces.test"}, c.opts...)
		in.Send(msg, append(args, c.rcpts...)...)
		if !c.fatal {
			nrcpt += len(c.rcpts)
		}
	}
	statusRE := regexp.MustCompile(`postfix/(smtp|lmtp)\[\d+\]: [0-9A-F]+: to=<([^>]*)>.*status=`)
	ok := instance.WaitFor(90*time.Second, func() bool {
		return len(statusRE.FindAllString(in.Maillog(), -1)) >= nrcpt
	})
	if !ok {
		t.Errorf("not every recipient has a status after 90s:\n%s", in.Maillog())
	}
	time.Sleep(500 * time.Millisecond)
	status = map[string]string{}
	clientRE := regexp.MustCompile(`postfix/(smtp|lmtp)\[\d+\]: (.*)$`)
	for _, line := range strings.Split(in.Maillog(), "\n") {
		if m := statusRE.FindStringSubmatch(line); m != nil {
			if _, seen := status[m[2]]; !seen {
				status[m[2]] = mask(line, in.Root)
			}
			continue
		}
		if m := clientRE.FindStringSubmatch(line); m != nil {
			other = append(other, mask(m[0], in.Root))
		}
	}
	sort.Strings(other)
	trans = map[string][]string{}
	st.close()
	for off := range modes {
		name := fmt.Sprint(base + off)
		for _, s := range st.transcripts(name) {
			trans[name] = append(trans[name], tlsTail(mask(strings.Join(s, "\n"), in.Root)))
		}
		sort.Strings(trans[name])
	}
	for _, s := range st.transcripts("unix") {
		trans["unix"] = append(trans["unix"], mask(strings.Join(s, "\n"), in.Root))
	}
	sort.Strings(trans["unix"])
	return status, other, trans
}

// tlsTail makes the end of a session that failed the certificate
// check the same whether the client's QUIT reached the Go stub or not:
// the real client's QUIT (sent over TLS, as the golden transcript of
// reference/smtp-client shows for the Python stub) is lost to the Go
// TLS server here, ours arrives.
func tlsTail(s string) string {
	for _, tail := range []string{"\n-- TLS\nC: QUIT\nS: 221 2.0.0 Bye", "\n-- TLS\n-- client closed"} {
		if strings.HasSuffix(s, tail) {
			return strings.TrimSuffix(s, tail) + "\n-- TLS\n<end>"
		}
	}
	return s
}

var (
	sizeRE   = regexp.MustCompile(`SIZE=\d+`)
	cipherRE = regexp.MustCompile(`with cipher \S+ \(\d+/\d+ bits\)`)
)

// mask hides what differs between runs, and the TLS 1.3 cipher, which
// the server picks from the client's preference order (Go's and
// OpenSSL's differ).
func mask(s, root string) string {
	s = instance.Mask(s, root)
	s = cipherRE.ReplaceAllString(s, "with cipher <C>")
	return sizeRE.ReplaceAllString(s, "SIZE=<N>")
}

// ours is our smtp program, built once for the package.
var ours = instance.NewPrograms("smtp")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// TestSwap compares our smtp/lmtp with the real ones in the same
// instance set-up, behaviour by behaviour.
func TestSwap(t *testing.T) {
	instance.RequireRealPostfix(t)
	realStatus, realOther, realTrans := run(t, nil)
	ourStatus, ourOther, ourTrans := run(t, map[string]string{"smtp": ours.Path(t, "smtp"), "lmtp": ours.Path(t, "smtp")})
	var rcpts []string
	for r := range realStatus {
		rcpts = append(rcpts, r)
	}
	sort.Strings(rcpts)
	for _, r := range rcpts {
		if realStatus[r] != ourStatus[r] {
			t.Errorf("status of %s:\nreal: %s\nours: %s", r, realStatus[r], ourStatus[r])
		}
	}
	if len(ourStatus) != len(realStatus) {
		t.Errorf("%d recipients with a status, real has %d", len(ourStatus), len(realStatus))
	}
	if strings.Join(realOther, "\n") != strings.Join(ourOther, "\n") {
		t.Errorf("other log lines differ:\nreal:\n%s\nours:\n%s", strings.Join(realOther, "\n"), strings.Join(ourOther, "\n"))
	}
	var ports []string
	for p := range realTrans {
		ports = append(ports, p)
	}
	sort.Strings(ports)
	for _, p := range ports {
		if strings.Join(realTrans[p], "\n==\n") != strings.Join(ourTrans[p], "\n==\n") {
			t.Errorf("transcripts of port %s differ:\nreal:\n%s\nours:\n%s", p, strings.Join(realTrans[p], "\n==\n"), strings.Join(ourTrans[p], "\n==\n"))
		}
	}
}
