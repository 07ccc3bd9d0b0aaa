package hostile

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// manyClients is how many clients TestManyConnections opens at once.
const manyClients = 12

// TestManyConnections opens more connections at once than the smtpd
// process limit (3) and the anvil connection count limit (2, with no
// exceptions for the loopback client) allow. Every client that gets a
// greeting holds its session until every other client has had its
// first reply, so the outcome does not depend on timing: two sessions
// are served, the other ten get Postfix's 421 and a hang-up, and master
// never runs more than three smtpd processes. A service on loopback is
// local-only, so neither master logs the process-limit warning.
func TestManyConnections(t *testing.T) {
	type result struct {
		sessions map[string]int
		logs     []string
	}
	real, got := sides(t, 32030, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, maxproc: "3",
			main: "smtpd_client_connection_count_limit = 2\nsmtpd_client_event_limit_exceptions =\n"})
		stop := make(chan struct{})
		most := make(chan int, 1)
		go func() { most <- mostChildren(in, "smtpd", stop) }()
		res := result{sessions: map[string]int{}}
		var mu sync.Mutex
		var first, done sync.WaitGroup
		first.Add(manyClients)
		allFirst := make(chan struct{})
		go func() { first.Wait(); close(allFirst) }()
		for i := 0; i < manyClients; i++ {
			done.Add(1)
			go func() {
				defer done.Done()
				s := holdSession(port, &first, allFirst)
				mu.Lock()
				res.sessions[s]++
				mu.Unlock()
			}()
		}
		done.Wait()
		close(stop)
		if n := <-most; n > 3 || n == 0 {
			t.Errorf("%d smtpd processes at once, limit 3", n)
		}
		if !waitCount(in, 10*time.Second, "]: disconnect from ", manyClients) {
			t.Errorf("not every session ended:\n%s", in.Maillog())
		}
		checkNoCrash(t, in)
		for _, l := range logSet(in, "master", "smtpd", "anvil") {
			if !strings.Contains(l, "connect from") && !strings.Contains(l, "daemon started") {
				res.logs = append(res.logs, strings.ReplaceAll(l, fmt.Sprint(port), "PORT"))
			}
		}
		return res
	})
	t.Logf("sessions: %v; log lines: %q", got.sessions, got.logs)
	if w, g := fmt.Sprint(real.sessions), fmt.Sprint(got.sessions); w != g {
		t.Errorf("sessions differ:\nreal: %s\nours: %s", w, g)
	}
	compareSets(t, "master, smtpd and anvil log lines", got.logs, real.logs)
}

// holdSession connects, reads the first reply and marks it in first;
// a greeted client waits (at most a minute) until every client has had
// its first reply before it says HELO and QUIT. It returns the session
// as one line.
func holdSession(port int, first *sync.WaitGroup, allFirst <-chan struct{}) string {
	c, err := dial(port)
	if err != nil {
		first.Done()
		return "connect: " + err.Error()
	}
	defer c.close()
	r := []string{c.reply(time.Minute)}
	first.Done()
	if strings.HasPrefix(r[0], "220 ") {
		select {
		case <-allFirst:
		case <-time.After(time.Minute):
			r = append(r, "<other clients got no reply>")
		}
		r = append(r, c.play([]step{{"HELO client.example\r\n", 1}, {"QUIT\r\n", 1}}, 10*time.Second)...)
	} else {
		r = append(r, c.reply(10*time.Second))
	}
	return strings.Join(r, " | ")
}

// mostChildren samples master's children every 20ms until stop and
// returns the largest number that ran program at once.
func mostChildren(in *instance.Instance, program string, stop <-chan struct{}) int {
	most := 0
	for {
		n := 0
		for _, p := range in.Children() {
			if p.Program == program {
				n++
			}
		}
		most = max(most, n)
		select {
		case <-stop:
			return most
		case <-time.After(20 * time.Millisecond):
		}
	}
}
