package hostile

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const helo = "EHLO client.example\r\n"

// dataSteps is a transaction from MAIL to the end of the message text
// (which must end with CRLF.CRLF or be cut short).
func dataSteps(rcpt, text string) []step {
	return []step{{helo, 1}, {"MAIL FROM:<sender@example.org>\r\n", 1}, {"RCPT TO:<" + rcpt + ">\r\n", 1},
		{"DATA\r\n", 1}, {text, 1}, {"QUIT\r\n", 1}}
}

// manyRcpts is n pipelined RCPT commands.
func manyRcpts(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "RCPT TO:<r%d@discard.example>\r\n", i)
	}
	return b.String()
}

// hostileDialogues are the SMTP sessions every smtpd must survive with
// Postfix's replies.
var hostileDialogues = []struct {
	name  string
	steps []step
}{
	{"10MB command line", []step{{helo, 1}, {"NOOP " + strings.Repeat("x", 10<<20) + "\r\n", 1}, {"NOOP\r\n", 1}, {"QUIT\r\n", 1}}},
	{"10MB MAIL FROM", []step{{helo, 1}, {"MAIL FROM:<" + strings.Repeat("a", 10<<20) + "@example.org>\r\n", 1}, {"RSET\r\n", 1}, {"QUIT\r\n", 1}}},
	{"10MB line without end", []step{{helo, 1}, {strings.Repeat("y", 10<<20), 0}}},
	{"long EHLO and parameters", []step{{"EHLO " + strings.Repeat("h", 5000) + "\r\n", 1},
		{"MAIL FROM:<a@example.org>" + strings.Repeat(" X=Y", 3000) + "\r\n", 1}, {"QUIT\r\n", 1}}},
	{"NUL bytes in commands", []step{{"HELO cl\x00ient\r\n", 1}, {"EHLO client.example\r\n", 1},
		{"MAIL FROM:<a\x00b@example.org>\r\n", 1}, {"NOOP\x00\r\n", 1}, {"\x00\x00\x00\r\n", 1}, {"QUIT\r\n", 1}}},
	{"bare CR and LF", []step{{"HELO client\n", 1}, {"NOOP\r\r\n", 1}, {"NOOP\rNOOP\r\n", 1},
		{"MAIL FROM:<a@example.org>\n", 1}, {"RCPT TO:<bare@discard.example>\r\n", 1}, {"DATA\n", 1},
		{"Subject: bare\r\nbare\rcr\nbare lf\r\n\r\r\n.\r.\r\n\n.\n", 1}, {"QUIT\r\n", 1}}},
	{"garbage until the error limit", []step{{strings.Repeat("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n", 25), 30}}},
	{"pipelined transaction with junk", []step{{helo, 1},
		{"MAIL FROM:<a@example.org>\r\nRCPT TO:<junk@discard.example>\r\nDATA\r\nSubject: junk\r\n\r\n\x01\x02\xff\xfe\x00\r\n..\r\n.\r\nQUIT\r\n", 5}}},
	{"pipelining without EHLO", []step{{"HELO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<p@discard.example>\r\nDATA\r\n", 4},
		{".\r\nQUIT\r\n", 2}}},
	{"1200 recipients", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {manyRcpts(1200), 1200},
		{"DATA\r\n", 1}, {"Subject: many\r\n\r\nbody\r\n.\r\n", 1}, {"QUIT\r\n", 1}}},
	{"endless headers", dataSteps("headers@discard.example", strings.Repeat("X-Header: "+strings.Repeat("h", 40)+"\r\n", 150000)+"\r\nbody\r\n.\r\n")},
	{"one folded header over the size limit", dataSteps("folded@discard.example", "X-Long: a\r\n"+strings.Repeat("\t"+strings.Repeat("f", 70)+"\r\n", 160000)+"\r\nbody\r\n.\r\n")},
	{"NUL and 8-bit bytes in the message", dataSteps("nul@discard.example", "Subject: \x00nul\xff\r\n\r\n\x00\x00body\x80\xff\r\n.\r\n")},
	{"BDAT abuse", []step{{helo, 1}, {"BDAT 99999999999999999999999\r\n", 1}, {"BDAT -1\r\n", 1}, {"BDAT\r\n", 1},
		{"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<bdat@discard.example>\r\n", 1}, {"BDAT 5 LAST\r\nab", 0}}},
	{"BDAT beyond the size limit", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<bdat@discard.example>\r\n", 1},
		{"BDAT 20000000 LAST\r\n" + strings.Repeat("z", 20000000), 1}, {"QUIT\r\n", 1}}},
	{"commands without authority", []step{{helo, 1}, {"XCLIENT NAME=spoofed.example ADDR=10.0.0.1\r\n", 1},
		{"XFORWARD NAME=spoofed.example\r\n", 1}, {"AUTH PLAIN AGZvbwBiYXI=\r\n", 1}, {"STARTTLS\r\n", 1},
		{"ETRN discard.example\r\n", 1}, {"VRFY " + strings.Repeat("v", 300) + "\r\n", 1}, {"QUIT\r\n", 1}}},
	{"relay tricks", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1},
		{"RCPT TO:<victim@other.example>\r\n", 1},
		{"RCPT TO:<victim%other.example@discard.example>\r\n", 1},
		{"RCPT TO:<victim@other.example@discard.example>\r\n", 1},
		{"RCPT TO:<@discard.example:victim@other.example>\r\n", 1},
		{"RCPT TO:<victim!other.example@discard.example>\r\n", 1},
		{"RCPT TO:<\"victim@other.example\"@discard.example>\r\n", 1},
		{"RCPT TO:<victim@other.example.>\r\n", 1},
		{"RCPT TO:<victim@[127.0.0.1]>\r\n", 1},
		{"RCPT TO:<victim@[999.1.1.1]>\r\n", 1},
		{"RCPT TO:<victim@discard.example.other.example>\r\n", 1},
		{"RCPT TO:victim@other.example\r\n", 1},
		{"RCPT TO:<" + strings.Repeat("<", 50) + "victim@other.example>\r\n", 1},
		{"QUIT\r\n", 1}}},
	{"disconnect in the middle of DATA", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1},
		{"RCPT TO:<nobody@localhost>\r\n", 1}, {"DATA\r\n", 1}, {"Subject: half\r\n\r\nhalf a message\r\n", 0}}},
}

// TestHostileDialogues plays every hostile dialogue against the real
// smtpd and ours: the replies must be the same, every accepted message
// must leave the queue, nothing may stay half-queued, and no daemon may
// crash.
func TestHostileDialogues(t *testing.T) {
	type result struct {
		replies map[string][]string
		logs    []string
	}
	real, got := sides(t, 32000, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port})
		res := result{replies: map[string][]string{}}
		for _, d := range hostileDialogues {
			start := time.Now()
			res.replies[d.name] = dialogue(port, d.steps, 60*time.Second)
			t.Logf("%s: %v", d.name, time.Since(start).Round(time.Millisecond))
		}
		start := time.Now()
		if !in.WaitQueueEmpty(60 * time.Second) {
			t.Errorf("queue not empty: %v\n%s", in.Queued("incoming", "active", "deferred"), in.Maillog())
		}
		t.Logf("queue empty after %v", time.Since(start).Round(time.Millisecond))
		if !in.WaitLog(10*time.Second, "lost connection after DATA") {
			t.Errorf("no lost-connection line:\n%s", in.Maillog())
		}
		if strings.Contains(in.Mailbox("nobody"), "half a message") {
			t.Errorf("a half-sent message was delivered")
		}
		checkNoCrash(t, in)
		res.logs = logSet(in, "smtpd", "cleanup")
		return res
	})
	for _, d := range hostileDialogues {
		if w, g := strings.Join(real.replies[d.name], "\n"), strings.Join(got.replies[d.name], "\n"); w != g {
			t.Errorf("%s: replies differ.\nreal:\n%s\nours:\n%s", d.name, clip(w), clip(g))
		}
	}
	compareSets(t, "smtpd and cleanup log lines", got.logs, real.logs)
}
