package hostile

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// badValues are daemons started with a bad main.cf value (given as
// master.cf -o overrides, so the rest of the instance works): three
// smtpd listeners (port offset), a local transport, and a cleanup
// behind a fourth smtpd (whose client then waits at RCPT, with either
// Postfix, until it gives up).
var badValues = []struct {
	name   string
	offset int // smtpd port offset; 0 for the local transport
	opts   string
}{
	{"time without a number", 700, "-o smtpd_timeout=abc"},
	{"number below its minimum", 710, "-o smtpd_recipient_limit=-5"},
	{"boolean that is neither", 720, "-o smtpd_delay_reject=perhaps"},
	{"local with a bad mailbox_size_limit", 0, "-o mailbox_size_limit=huge"},
	{"cleanup with a bad header_size_limit", 730, "-o cleanup_service_name=cleanup-badconf"},
}

// badConfigMaster adds the services of badValues.
func badConfigMaster(port int) string {
	var b strings.Builder
	for _, v := range badValues {
		if v.offset > 0 {
			fmt.Fprintf(&b, "127.0.0.1:%d inet n - n - - smtpd %s\n", port+v.offset, v.opts)
		} else {
			fmt.Fprintf(&b, "local-badconf unix - n n - - local %s\n", v.opts)
		}
	}
	b.WriteString("cleanup-badconf unix n - n - 0 cleanup -o header_size_limit=big\n")
	return b.String()
}

// TestBadConfigValues: a daemon with a bad parameter value stops with
// Postfix's fatal message, master logs its exit and throttles the
// service, a client of the broken smtpd gets no greeting, and mail for
// the broken local stays in the active queue (qmgr waits for the
// agent), as with the real Postfix. No retries run during the test (long back-off times), so
// the log lines compared do not depend on timing.
func TestBadConfigValues(t *testing.T) {
	type result struct {
		replies map[string][]string
		logs    []string
		queued  int
	}
	real, got := sides(t, 32070, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, master: badConfigMaster(port), slowRetry: true,
			files: map[string]string{"etc/transport": transportMap + "badconf.example local-badconf:\n"}})
		res := result{replies: map[string][]string{}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, v := range badValues {
			if v.offset > 0 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					steps := []step{{"QUIT\r\n", 1}}
					if strings.Contains(v.name, "cleanup") {
						steps = dataSteps("nobody@localhost", "Subject: through a broken cleanup\r\n\r\nbody\r\n.\r\n")
					}
					r := dialogue(port+v.offset, steps, 3*time.Second)
					mu.Lock()
					res.replies[v.name] = r
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		res.replies["mail for the broken local"] = dialogue(port, dataSteps("nobody@badconf.example",
			"Subject: to a broken local\r\n\r\nbody\r\n.\r\n"), 10*time.Second)
		if !in.WaitFor(20*time.Second, func() bool {
			log := in.Maillog()
			return strings.Contains(log, "]: disconnect from ") && strings.Contains(log, "libexec/local: bad command startup -- throttling") &&
				strings.Contains(log, "libexec/cleanup: bad command startup -- throttling")
		}) {
			t.Errorf("no end of the session, or no throttled local or cleanup:\n%s", in.Maillog())
		}
		checkNoCrash(t, in)
		res.logs = logSet(in, "master", "smtpd", "local", "qmgr", "cleanup")
		res.queued = len(in.Queued(instance.MailQueues...))
		return res
	})
	for name, w := range real.replies {
		if g := strings.Join(got.replies[name], "\n"); strings.Join(w, "\n") != g {
			t.Errorf("%s: replies differ.\nreal:\n%s\nours:\n%s", name, strings.Join(w, "\n"), g)
		}
	}
	if real.queued != 1 || got.queued != real.queued {
		t.Errorf("queued messages: real %d, ours %d, want 1", real.queued, got.queued)
	}
	compareSets(t, "log lines", got.logs, real.logs)
}
