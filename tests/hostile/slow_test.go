package hostile

import (
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// slowMaster adds a second smtpd that holds each request to a deadline
// (smtpd_per_request_deadline), on port+500.
const slowMaster = "127.0.0.1:@PORT2@ inet n - n - - smtpd -o smtpd_per_request_deadline=yes\n"

// trickle sends text one byte at a time, every gap, unless the server
// hangs up; it returns the first reply it sees (or "<TIMEOUT>") and how
// long the session took.
func trickle(port int, prefix []step, text string, gap, wait time.Duration) (string, time.Duration) {
	c, err := dial(port)
	if err != nil {
		return "connect: " + err.Error(), 0
	}
	defer c.close()
	c.reply(5 * time.Second)
	for _, s := range prefix {
		<-c.send(s.send)
		c.replies(s.replies, 5*time.Second)
	}
	start := time.Now()
	got := make(chan string, 1)
	go func() { got <- c.reply(wait) }()
	for i := 0; i < len(text); i++ {
		select {
		case r := <-got:
			return r, time.Since(start)
		case <-time.After(gap):
		}
		if err := <-c.send(text[i : i+1]); err != nil {
			break
		}
	}
	return <-got, time.Since(start)
}

// slowCase is one slow client: its session and how long it may take.
type slowCase struct {
	name     string
	deadline bool // on the smtpd with smtpd_per_request_deadline
	prefix   []step
	text     string
	min, max time.Duration
}

// slowCases: an idle client and a client that trickles bytes meet
// smtpd_timeout (2s) with a 421 reply and a "timeout after" log line;
// a trickled command completes, since every byte restarts the timer,
// unless smtpd_per_request_deadline bounds the whole request.
var slowCases = func() []slowCase {
	mail := []step{{helo, 1}, {"MAIL FROM:<a@example.org>\r\n", 1}, {"RCPT TO:<nobody@localhost>\r\n", 1}, {"DATA\r\n", 1}}
	cmd := "NOOP " + strings.Repeat("z", 6) + "\r\n"
	return []slowCase{
		{"idle after the greeting", false, nil, "", time.Second, 5 * time.Second},
		{"idle in DATA", false, mail, "", time.Second, 5 * time.Second},
		{"trickled command", false, nil, cmd, 5 * time.Second, 12 * time.Second},
		{"trickled command with a deadline", true, nil, cmd, time.Second, 12 * time.Second},
		{"trickled message with a deadline", true, mail, "Subject: slow\r\n\r\n" + strings.Repeat("s", 12), time.Second, 16 * time.Second},
	}
}()

// TestSlowClients runs the slow clients at once against the real smtpd
// and ours and compares their outcomes and the smtpd log lines; nothing
// may stay queued.
func TestSlowClients(t *testing.T) {
	type result struct {
		outcomes map[string]string
		logs     []string
	}
	real, got := sides(t, 32020, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, main: "smtpd_timeout = 2s\n", master: slowMaster})
		res := result{outcomes: map[string]string{}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, c := range slowCases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := port
				if c.deadline {
					p += 500
				}
				r, took := trickle(p, c.prefix, c.text, 700*time.Millisecond, 15*time.Second)
				if took < c.min || took > c.max {
					t.Errorf("%s: took %v, want %v to %v (%q)", c.name, took, c.min, c.max, r)
				}
				mu.Lock()
				res.outcomes[c.name] = r
				mu.Unlock()
			}()
		}
		wg.Wait()
		if !waitCount(in, 10*time.Second, "]: disconnect from ", len(slowCases)) {
			t.Errorf("not every session ended:\n%s", in.Maillog())
		}
		if !in.WaitFor(10*time.Second, func() bool { return len(in.Queued(instance.MailQueues...)) == 0 }) {
			t.Errorf("left in the queue: %v", in.Queued(instance.MailQueues...))
		}
		checkNoCrash(t, in)
		res.logs = logSet(in, "smtpd")
		return res
	})
	for _, c := range slowCases {
		w, g := real.outcomes[c.name], got.outcomes[c.name]
		if c.deadline && !strings.HasPrefix(w, "421 4.4.2 mx.delivspec.example Error: timeout exceeded") {
			t.Errorf("%s: the real smtpd answered %q, want a 421 timeout", c.name, w)
		}
		if g != w {
			t.Errorf("%s: real %q, ours %q", c.name, w, g)
		}
	}
	compareSets(t, "smtpd log lines", got.logs, real.logs)
}
