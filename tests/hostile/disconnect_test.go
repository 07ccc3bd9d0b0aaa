package hostile

import (
	"net"
	"strings"
	"testing"
	"time"
)

// hangups are sessions that end abruptly at every stage of a
// transaction; only "after the final dot" sent a complete message.
var hangups = []struct {
	name  string
	steps []step
}{
	{"at once", nil},
	{"after the greeting", []step{{"", 0}}},
	{"after EHLO", []step{{helo, 1}}},
	{"after MAIL", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}}},
	{"after RCPT", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1}}},
	{"after DATA", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1}, {"DATA\r\n", 1}}},
	{"in the headers", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1},
		{"DATA\r\n", 1}, {"Subject: cut in the headers\r\nX-Partial: yes", 0}}},
	{"in the body", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1},
		{"DATA\r\n", 1}, {"Subject: cut in the body\r\n\r\n" + strings.Repeat("body line\r\n", 5000) + ".", 0}}},
	{"before the dot's CRLF", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1},
		{"DATA\r\n", 1}, {"Subject: cut before CRLF\r\n\r\nbody\r\n.\r", 0}}},
	{"after the final dot", []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1},
		{"DATA\r\n", 1}, {"Subject: complete\r\n\r\nbody\r\n.\r\n", 0}}},
}

// hangup plays steps and closes the connection without reading what
// follows. A session whose last step waits for a reply ends with a
// reset; one that ends with unanswered data closes normally, so that
// the server reads all of it before it sees the end.
func hangup(port int, steps []step, reset bool) []string {
	c, err := dial(port)
	if err != nil {
		return []string{"connect: " + err.Error()}
	}
	var out []string
	if steps != nil {
		out = append(out, c.reply(10*time.Second))
	}
	for _, s := range steps {
		if s.send != "" {
			if err := <-c.send(s.send); err != nil {
				out = append(out, "write: "+err.Error())
				break
			}
		}
		out = append(out, c.replies(s.replies, 10*time.Second)...)
		reset = reset && s.replies > 0
	}
	if reset {
		c.conn.(*net.TCPConn).SetLinger(0)
	}
	c.close()
	return out
}

// TestDisconnects hangs up at every stage: smtpd logs the stage as the
// real one does, nothing half-received stays in incoming/ or active/ or
// is delivered, and the one complete message is delivered once.
func TestDisconnects(t *testing.T) {
	type result struct {
		replies map[string][]string
		logs    []string
	}
	real, got := sides(t, 32010, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, master: singleMaster})
		res := result{replies: map[string][]string{}}
		for _, h := range hangups {
			res.replies[h.name] = hangup(port, h.steps, h.name != "at once")
		}
		res.replies["reset in the listen queue"] = resetInBacklog(port + 500)
		if !in.WaitMailbox(30*time.Second, "nobody", "Subject: complete") || !in.WaitQueueEmpty(30*time.Second) {
			t.Errorf("complete message not delivered, or queue not empty (%v):\n%s", in.Queued("incoming", "active", "deferred"), in.Maillog())
		}
		// Every session has ended: no smtpd may still write a file.
		if !waitCount(in, 10*time.Second, "]: disconnect from ", len(hangups)+2) {
			t.Errorf("not every session ended:\n%s", in.Maillog())
		}
		if q := in.Queued("incoming", "active", "deferred", "maildrop", "hold"); len(q) > 0 {
			t.Errorf("left in the queue: %v", q)
		}
		box := in.Mailbox("nobody")
		if n := strings.Count(box, "Subject: complete"); n != 1 {
			t.Errorf("complete message delivered %d times", n)
		}
		for _, cut := range []string{"cut in the headers", "cut in the body", "cut before CRLF"} {
			if strings.Contains(box, cut) {
				t.Errorf("%q was delivered", cut)
			}
		}
		checkNoCrash(t, in)
		res.logs = logSet(in, "smtpd")
		return res
	})
	for _, h := range hangups {
		if w, g := strings.Join(real.replies[h.name], "\n"), strings.Join(got.replies[h.name], "\n"); w != g {
			t.Errorf("%s: replies differ.\nreal:\n%s\nours:\n%s", h.name, w, g)
		}
	}
	if w, g := strings.Join(real.replies["reset in the listen queue"], "\n"), strings.Join(got.replies["reset in the listen queue"], "\n"); w != g {
		t.Errorf("reset in the listen queue: replies differ.\nreal:\n%s\nours:\n%s", w, g)
	}
	hasLines(t, "real", real.logs, unknownPeer)
	hasLines(t, "our", got.logs, unknownPeer)
	compareSets(t, "smtpd log lines", got.logs, real.logs)
}

// singleMaster adds an smtpd with a process limit of one on port+500.
const singleMaster = "127.0.0.1:@PORT2@ inet n - n - 1 smtpd\n"

// resetInBacklog keeps the only smtpd of port busy with one client
// while a second client connects and resets its connection, still
// unaccepted, and then lets the first go: smtpd accepts a connection
// that is already gone.
func resetInBacklog(port int) []string {
	first, err := dial(port)
	if err != nil {
		return []string{"connect: " + err.Error()}
	}
	defer first.close()
	out := []string{first.reply(10 * time.Second)}
	second, err := dial(port)
	if err != nil {
		return append(out, "connect: "+err.Error())
	}
	second.conn.(*net.TCPConn).SetLinger(0)
	second.close()
	return append(out, first.play([]step{{"QUIT\r\n", 1}}, 10*time.Second)...)
}

// unknownPeer are the lines of a session whose peer address is gone.
var unknownPeer = []string{
	"smtpd: connect from unknown[unknown]",
	"smtpd: disconnect from unknown[unknown] commands=0/0",
	"smtpd: lost connection after CONNECT from unknown[unknown]",
}

// hasLines checks that the log set holds every one of lines (the
// session reset in the listen queue is logged as unknown[unknown]: smtpd
// asks getpeername(2), which fails for it).
func hasLines(t *testing.T, side string, logs, lines []string) {
	t.Helper()
	has := map[string]bool{}
	for _, l := range logs {
		has[l] = true
	}
	for _, l := range lines {
		if !has[l] {
			t.Errorf("the %s smtpd did not log %q", side, l)
		}
	}
}
