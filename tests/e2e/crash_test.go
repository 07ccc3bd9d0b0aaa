package e2e

import (
	"fmt"
	"math/rand/v2"
	"net/smtp"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

const (
	crashTotal = 1000
	crashSMTP  = 200 // of crashTotal, sent over SMTP
	crashKills = 8
)

// crashVictims are the daemons killed at random.
var crashVictims = []string{"pickup", "cleanup", "qmgr", "trivial-rewrite", "local", "bounce", "smtpd"}

var (
	crashSubject = regexp.MustCompile(`(?m)^Subject: crash-(\d{4})$`)
	// A delivered copy carries the queue ID the message had in the
	// Received: header that pickup or smtpd wrote just before it.
	receivedID = regexp.MustCompile(`\bid ([0-9A-F]{10,12})\b`)
)

// crashRecipient is where message n goes: every tenth to an unknown
// user (bounced to the sender, nobody), the rest spread over four
// mailboxes.
func crashRecipient(n int) string {
	if n%10 == 9 {
		return "nosuchuser"
	}
	return []string{"daemon", "bin", "sys", "games"}[n%4]
}

// TestCrashSafety sends 1,000 messages (with sendmail and over SMTP)
// through an all-ours instance while killing random daemons with
// SIGKILL: afterwards every accepted message is delivered (or bounced)
// exactly once or is still queued. A second copy is allowed only where
// Postfix itself delivers twice: the delivery agent or the cleanup
// hand-off died after the copy was written and before it was
// acknowledged; each needs a kill of that kind of daemon.
func TestCrashSafety(t *testing.T) {
	const port = "24030"
	in := newInstance(t, true, port, instance.FastRetryCF, "service_throttle_time = 2s\n", nil)
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("seed %d", seed)

	var mu sync.Mutex
	accepted := map[int]bool{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for n := crashSMTP; n < crashTotal; n++ {
			out, err := in.RunInput(crashText(n), "sendmail", "-C", in.Path("etc"), "-f", "nobody@mx.delivspec.example", crashRecipient(n))
			mu.Lock()
			accepted[n] = err == nil
			mu.Unlock()
			if err != nil {
				t.Errorf("sendmail crash-%04d: %v\n%s", n, err, out)
			}
		}
	}()
	go func() {
		defer wg.Done()
		for n := 0; n < crashSMTP; n++ {
			err := smtp.SendMail("127.0.0.1:"+port, nil, "nobody@mx.delivspec.example",
				[]string{crashRecipient(n) + "@localhost"}, []byte(strings.ReplaceAll(crashText(n), "\n", "\r\n")))
			mu.Lock()
			accepted[n] = err == nil
			mu.Unlock()
		}
	}()
	sent := make(chan struct{})
	go func() { wg.Wait(); close(sent) }()

	kills := map[string]int{}
	for attempts := 0; attempts < 200 && sumCounts(kills) < crashKills; attempts++ {
		time.Sleep(time.Duration(500+rng.IntN(1000)) * time.Millisecond)
		victim := crashVictims[rng.IntN(len(crashVictims))]
		if pid := in.ChildPID(victim); pid > 0 && syscall.Kill(pid, syscall.SIGKILL) == nil {
			kills[victim]++
		}
	}
	select {
	case <-sent:
	case <-time.After(3 * time.Minute):
		t.Fatal("submission did not finish")
	}
	t.Logf("kills: %v", kills)
	start := time.Now()

	copies := func() map[int]map[string]int {
		got := map[int]map[string]int{}
		for _, u := range []string{"daemon", "bin", "sys", "games", "nobody"} {
			box := in.Mailbox(u)
			for _, m := range crashSubject.FindAllStringSubmatchIndex(box, -1) {
				n, _ := strconv.Atoi(box[m[2]:m[3]])
				ids := receivedID.FindAllStringSubmatch(box[max(0, m[0]-300):m[0]], -1)
				id := "?"
				if len(ids) > 0 {
					id = ids[len(ids)-1][1]
				}
				if got[n] == nil {
					got[n] = map[string]int{}
				}
				got[n][id]++
			}
		}
		return got
	}
	// Let the queue drain; postqueue -f also brings back what a killed
	// daemon left deferred.
	instance.WaitFor(3*time.Minute, func() bool {
		got := copies()
		done := len(in.Queued(instance.MailQueues...)) == 0
		for n, ok := range accepted {
			done = done && (!ok || got[n] != nil)
		}
		if done {
			return true
		}
		if len(in.Queued("maildrop")) == 0 {
			in.Postqueue("-f")
		}
		time.Sleep(2 * time.Second)
		return false
	})

	t.Logf("drained in %v", time.Since(start))
	got := copies()
	queued := len(in.Queued(instance.MailQueues...))
	sameID, otherID := 0, 0
	for n, ids := range got {
		total := 0
		for _, c := range ids {
			total += c
			if c > 1 {
				sameID += c - 1
			}
		}
		if len(ids) > 1 {
			otherID += len(ids) - 1
		}
		if total > 1 {
			t.Logf("crash-%04d delivered %d times: %v", n, total, ids)
		}
	}
	if sameID > kills["local"]+kills["bounce"] {
		t.Errorf("%d copies delivered twice under one queue ID, but only %d local/bounce kills", sameID, kills["local"]+kills["bounce"])
	}
	if otherID > kills["cleanup"]+kills["pickup"]+kills["smtpd"]+kills["trivial-rewrite"] {
		t.Errorf("%d messages queued twice, but only %d kills in the submission path", otherID,
			kills["cleanup"]+kills["pickup"]+kills["smtpd"]+kills["trivial-rewrite"])
	}
	lost := 0
	for n, ok := range accepted {
		if ok && got[n] == nil {
			lost++
		}
	}
	if lost > queued {
		t.Errorf("%d accepted messages neither delivered nor queued (%d queued)", lost-queued, queued)
	}
	if n := strings.Count(in.Maillog(), "killed by signal 9"); n < sumCounts(kills) {
		t.Errorf("master saw %d of the %d kills", n, sumCounts(kills))
	}
	if other := in.NotOurs(); len(other) > 0 {
		t.Errorf("not our programs: %v", other)
	}
	t.Logf("%d accepted, %d delivered or bounced, %d still queued", countTrue(accepted), len(got), queued)
}

func crashText(n int) string {
	return fmt.Sprintf("Subject: crash-%04d\n\nbody of crash-%04d\n", n, n)
}

func sumCounts(m map[string]int) int {
	s := 0
	for _, v := range m {
		s += v
	}
	return s
}

func countTrue(m map[int]bool) int {
	s := 0
	for _, v := range m {
		if v {
			s++
		}
	}
	return s
}
