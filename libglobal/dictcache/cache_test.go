package dictcache

import (
	"os"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

func TestCleanupScan(t *testing.T) {
	cap := &msg.Capture{}
	log := msg.New(cap)
	reg := dict.NewRegistry(log)
	stdtypes.Register(reg)
	db, err := reg.Open("internal:t", os.O_CREATE|os.O_RDWR, testFlags)
	if err != nil {
		t.Fatal(err)
	}
	c := New("internal:t", db, log)
	for _, kv := range [][2]string{{"keep1", "k"}, {"drop1", "d"}, {"keep2", "k"}, {"drop2", "d"}, {"drop3", "d"}} {
		c.Update(kv[0], kv[1])
	}
	c.StartCleanup(time.Hour, func(key, value string, now time.Time) bool { return value == "k" }, true, true)
	ok := false
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && !ok; time.Sleep(10 * time.Millisecond) {
		c.mu.Lock()
		ok = len(cap.Lines) > 0
		c.mu.Unlock()
	}
	c.Close()
	if want := "cache internal:t full cleanup: retained=2 dropped=3 entries"; len(cap.Lines) != 1 || cap.Lines[0] != want {
		t.Fatalf("log %q, want %q", cap.Lines, want)
	}
	var keys []string
	for op := dict.SeqFirst; ; op = dict.SeqNext {
		k, _, ok, _ := db.Sequence(op)
		if !ok {
			break
		}
		keys = append(keys, k)
	}
	if got := strings.Join(sortedKeys(keys), " "); got != "_LAST_CACHE_CLEANUP_COMPLETED_ keep1 keep2" {
		t.Errorf("after cleanup: %s", got)
	}
}

func TestDeleteBehind(t *testing.T) {
	log := msg.Discard()
	reg := dict.NewRegistry(log)
	stdtypes.Register(reg)
	db, _ := reg.Open("internal:t", os.O_CREATE|os.O_RDWR, testFlags)
	c := New("internal:t", db, log)
	c.Update("a", "1")
	c.mu.Lock()
	k, _, ok, _ := c.sequence(dict.SeqFirst)
	c.mu.Unlock()
	if !ok || k != "a" {
		t.Fatalf("sequence gave %q %v", k, ok)
	}
	c.Delete("a")
	if _, found, _ := c.Lookup("a"); found {
		t.Error("an entry marked for deletion is still visible")
	}
	if _, found, _ := db.Lookup("a"); !found {
		t.Error("the entry under the cursor was deleted at once")
	}
	c.Update("a", "2")
	if v, found, _ := c.Lookup("a"); !found || v != "2" {
		t.Errorf("update did not cancel the pending delete: %q %v", v, found)
	}
}

const testFlags = dict.FlagDupReplace | dict.FlagSyncUpdate | dict.FlagOpenLock | dict.FlagUTF8Request

func sortedKeys(k []string) []string {
	for i := 1; i < len(k); i++ {
		for j := i; j > 0 && k[j] < k[j-1]; j-- {
			k[j], k[j-1] = k[j-1], k[j]
		}
	}
	return k
}
