package delivery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var crashSubject = regexp.MustCompile(`(?m)^Subject: crash-(\d{4})$`)

// TestCrashSafety sends 1,000 messages through an instance with our
// qmgr while killing qmgr with SIGKILL several times: afterwards every
// message is delivered exactly once or still in the queue.
func TestCrashSafety(t *testing.T) {
	const total = 1000
	in := newInstance(t, "service_throttle_time = 2s\n", "qmgr")
	users := []string{"daemon", "bin", "sys", "games"}

	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := 0; i < total; i++ {
			send(in, fmt.Sprintf("crash-%04d", i), users[i%len(users)])
		}
	}()
	kills := 0
	for kills < 5 {
		time.Sleep(1500 * time.Millisecond)
		if pid := in.ChildPID("qmgr"); pid > 0 {
			if syscall.Kill(pid, syscall.SIGKILL) == nil {
				kills++
			}
		}
		select {
		case <-sent:
			if kills < 5 {
				// Keep killing while the queue drains.
				continue
			}
		default:
		}
	}
	select {
	case <-sent:
	case <-time.After(3 * time.Minute):
		t.Fatal("submission did not finish")
	}
	delivered := func() map[int]int {
		count := map[int]int{}
		for _, u := range users {
			for _, m := range crashSubject.FindAllStringSubmatch(in.Mailbox(u), -1) {
				n, _ := strconv.Atoi(m[1])
				count[n]++
			}
		}
		return count
	}
	// Let the queue drain; postqueue -f also brings back files that a
	// restarted qmgr found still locked and postponed.
	waitFor(3*time.Minute, func() bool {
		if len(delivered()) == total {
			return true
		}
		// postqueue -f also wakes pickup, which refuses triggers while it
		// works through a full maildrop: ask only once that is done.
		if len(in.Queued("maildrop")) == 0 {
			in.Postqueue("-f")
		}
		time.Sleep(2 * time.Second)
		return false
	})
	count := delivered()
	queued := map[string]bool{}
	for _, id := range in.Queued("maildrop", "incoming", "active", "deferred", "hold") {
		queued[id] = true
	}
	for n, c := range count {
		if c != 1 {
			t.Errorf("crash-%04d delivered %d times", n, c)
		}
	}
	if missing := total - len(count); missing > len(queued) {
		t.Errorf("%d messages neither delivered nor queued (%d queued)", missing-len(queued), len(queued))
	}
	if strings.Count(in.Maillog(), "killed by signal 9") < kills {
		t.Errorf("master did not see the %d kills:\n%s", kills, in.Maillog())
	}
	t.Logf("%d kills, %d delivered, %d still queued", kills, len(count), len(queued))
}
