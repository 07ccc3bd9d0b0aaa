package dict

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lockProbe is a second open file of the same path: flock locks belong to
// open files, so its non-blocking requests show what the table holds.
type lockProbe struct {
	t *testing.T
	f *os.File
}

func (p lockProbe) can(op LockOp) bool {
	p.t.Helper()
	err := FlockFile(int(p.f.Fd()), op|LockNoWait)
	switch err {
	case nil:
		FlockFile(int(p.f.Fd()), LockNone)
		return true
	case ErrLocked:
		return false
	}
	p.t.Fatal(err)
	return false
}

func batchTable(t *testing.T, flags Flags) (*Base, lockProbe) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	g, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	b := &Base{}
	b.InitName("hash", path, flags, nil)
	b.LockFD, b.LockStyle = int(f.Fd()), StyleFlock
	return b, lockProbe{t, g}
}

func TestHoldLock(t *testing.T) {
	b, probe := batchTable(t, FlagLock)
	if err := b.HoldLock(LockShared); err != nil {
		t.Fatal(err)
	}
	if b.HeldLock() != LockShared || b.LockEpoch() != 1 {
		t.Fatalf("held %v epoch %d", b.HeldLock(), b.LockEpoch())
	}
	if probe.can(LockExclusive) || !probe.can(LockShared) {
		t.Fatal("a held shared lock does not keep writers out and readers in")
	}
	// Accesses the held lock covers neither lock nor unlock.
	ran := 0
	for i := 0; i < 3; i++ {
		if err := b.WithLock(LockShared, func() error { ran++; return nil }); err != nil {
			t.Fatal(err)
		}
		if probe.can(LockExclusive) {
			t.Fatal("an access inside the batch released the lock")
		}
	}
	// A stronger access converts the lock for its duration and then
	// returns to the held one.
	if err := b.WithLock(LockExclusive, func() error {
		ran++
		if probe.can(LockShared) {
			t.Error("the exclusive access inside a batch did not lock exclusively")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if probe.can(LockExclusive) || !probe.can(LockShared) || ran != 4 {
		t.Fatalf("after the exclusive access: ran %d", ran)
	}
	// A second HoldLock is a no-op; ReleaseLock lets the writer in.
	if err := b.HoldLock(LockShared); err != nil || b.LockEpoch() != 1 {
		t.Fatalf("second HoldLock: %v, epoch %d", err, b.LockEpoch())
	}
	if err := b.ReleaseLock(); err != nil {
		t.Fatal(err)
	}
	if b.HeldLock() != LockNone || !probe.can(LockExclusive) {
		t.Fatal("ReleaseLock left the table locked")
	}
	if err := b.ReleaseLock(); err != nil {
		t.Fatalf("ReleaseLock without a batch: %v", err)
	}
	// Outside a batch each access locks and unlocks again.
	if err := b.WithLock(LockShared, func() error {
		if probe.can(LockExclusive) {
			t.Error("access outside a batch without its lock")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !probe.can(LockExclusive) {
		t.Fatal("access outside a batch left the table locked")
	}
	if err := b.HoldLock(LockShared); err != nil || b.LockEpoch() != 2 {
		t.Fatalf("second batch: %v, epoch %d", err, b.LockEpoch())
	}
	b.ReleaseLock()
}

func TestHoldLockWithoutLocking(t *testing.T) {
	for name, setup := range map[string]func(b *Base){
		"no FlagLock":  func(b *Base) { b.ClearFlags(FlagLock) },
		"no lock file": func(b *Base) { b.LockFD = -1 },
	} {
		b, probe := batchTable(t, FlagLock)
		setup(b)
		if err := b.HoldLock(LockShared); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b.HeldLock() != LockNone || !probe.can(LockExclusive) {
			t.Errorf("%s: HoldLock locked a table without per-access locking", name)
		}
	}
}

func TestHoldLockFailure(t *testing.T) {
	b, _ := batchTable(t, FlagLock)
	b.LockFD = 1 << 20 // not an open descriptor
	err := b.HoldLock(LockShared)
	if err == nil || KindOf(err) != KindRetry || err.Error() != b.Name()+": lock dictionary: Bad file descriptor" {
		t.Fatalf("HoldLock on a bad descriptor = %v", err)
	}
	if b.HeldLock() != LockNone || b.LockEpoch() != 0 {
		t.Fatal("a failed HoldLock began a batch")
	}
}

// The UTF-8 layer passes prefetch hints on folded as its lookups fold
// them, without the malformed keys its lookups refuse.
func TestUTF8Prefetch(t *testing.T) {
	r, _ := newTestRegistry(t)
	r.UTF8 = true
	d, _ := r.OpenMaker("mem", "u", os.O_RDWR|os.O_CREATE, FlagFoldFix|FlagUTF8Request)
	p, ok := d.(Prefetcher)
	if !ok {
		t.Fatalf("%T is not a Prefetcher", d)
	}
	p.Prefetch([]string{"ÄBC", "x\xff", "Key"})
	got := d.(*utf8Dict).Unwrap().(*memDict).prefetched
	if strings.Join(got, "|") != "äbc|key" {
		t.Fatalf("prefetched %q", got)
	}
}
