package mkmap

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// lockedTable is a table with per-access locking on a real file that
// records, at each lookup, which batch (lock epoch) it ran in and
// whether its lock was held.
type lockedTable struct {
	dict.Base
	f      *os.File
	probe  *os.File // a second open file: flock conflicts show the lock
	delay  time.Duration
	seen   []lookupRecord
	values map[string]string

	lockedAtClose bool
}

type lookupRecord struct {
	key   string
	epoch uint64
	held  bool
	at    time.Time
}

// writerBlocked reports whether an exclusive lock would wait.
func (l *lockedTable) writerBlocked() bool {
	err := dict.FlockFile(int(l.probe.Fd()), dict.LockExclusive|dict.LockNoWait)
	if err == nil {
		dict.FlockFile(int(l.probe.Fd()), dict.LockNone)
		return false
	}
	return true
}

func (l *lockedTable) Lookup(key string) (string, bool, error) {
	held := false
	err := l.WithLock(dict.LockShared, func() error {
		held = l.writerBlocked()
		time.Sleep(l.delay)
		return nil
	})
	l.seen = append(l.seen, lookupRecord{key, l.LockEpoch(), held, time.Now()})
	v, ok := l.values[key]
	return v, ok, err
}

func (l *lockedTable) Close() error {
	l.lockedAtClose = l.writerBlocked()
	l.probe.Close()
	return l.f.Close()
}

// testTool returns a Tool whose "locked" type opens lockedTables; the
// last one opened is in *last.
func testTool(t *testing.T, delay time.Duration, stdin io.Reader, last **lockedTable) (*Tool, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	reg := dict.NewRegistry(msg.New(&msg.Capture{}))
	reg.Register("locked", func(req dict.OpenRequest) (dict.Dict, error) {
		path := filepath.Join(dir, req.Name)
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		g, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		l := &lockedTable{f: f, probe: g, delay: delay, values: map[string]string{"k1": "v1", "k3": "v3"}}
		l.Init(req, dict.FlagFixed)
		l.LockFD = int(f.Fd())
		*last = l
		return l, nil
	})
	var out bytes.Buffer
	return &Tool{Log: msg.New(&msg.Capture{}), Reg: reg, Stdin: stdin, Stdout: bufio.NewWriter(&out), SeqFormat: "%s\t%s\n"}, &out
}

// chunkReader hands out its input in fixed chunks and checks, at each
// read, that the table's lock is not held (a read from stdin may block).
type chunkReader struct {
	data      []byte
	chunk     int
	table     **lockedTable
	heldReads int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	if *c.table != nil && (*c.table).writerBlocked() {
		c.heldReads++
	}
	n := min(c.chunk, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func TestQueriesBatchLocks(t *testing.T) {
	var keys []string
	for i := 0; i < 3000; i++ {
		keys = append(keys, fmt.Sprintf("k%d", i%5))
	}
	var table *lockedTable
	in := &chunkReader{data: []byte(strings.Join(keys, "\n") + "\n"), chunk: 1000, table: &table}
	tool, out := testTool(t, 0, in, &table)
	if !tool.Queries([]string{"locked:t"}, dict.FlagLock) {
		t.Fatal("Queries found nothing")
	}
	if want := strings.Repeat("k1\tv1\nk3\tv3\n", 600); out.String() != want {
		t.Fatalf("output %.80q..., want %.80q...", out.String(), want)
	}
	if in.heldReads != 0 {
		t.Errorf("%d reads from stdin with the table locked", in.heldReads)
	}
	if len(table.seen) != len(keys) {
		t.Fatalf("%d lookups, want %d", len(table.seen), len(keys))
	}
	epochs := map[uint64]int{}
	for i, r := range table.seen {
		if !r.held || r.epoch == 0 {
			t.Fatalf("lookup %d (%s) ran outside a batch lock: %+v", i, r.key, r)
		}
		epochs[r.epoch]++
	}
	// Each read of 1000 bytes (about 330 keys) ends a batch.
	if len(epochs) < 9 || len(epochs) > len(keys)/50 {
		t.Errorf("%d lookups in %d batches", len(keys), len(epochs))
	}
	if table.lockedAtClose {
		t.Error("the table was still locked when Queries closed it")
	}
}

// Slow lookups end a batch after batchLimit even while input is waiting.
func TestQueriesBatchTimeLimit(t *testing.T) {
	const delay = 4 * time.Millisecond
	var table *lockedTable
	in := strings.NewReader(strings.Repeat("k1\n", 40))
	tool, _ := testTool(t, delay, in, &table)
	start := time.Now()
	tool.Queries([]string{"locked:t"}, dict.FlagLock)
	elapsed := time.Since(start)
	first := map[uint64]time.Time{}
	batches, longest := 0, time.Duration(0)
	for _, r := range table.seen {
		if _, ok := first[r.epoch]; !ok {
			first[r.epoch] = r.at.Add(-delay)
			batches++
		}
		longest = max(longest, r.at.Sub(first[r.epoch]))
	}
	// 40 lookups of 4 ms are 160 ms: at 10 ms per batch that is about 16
	// batches; a loaded machine fires the timer late, so ask for fewer.
	if batches < 4 {
		t.Errorf("%d batches for %d lookups in %v (longest batch %v)", batches, len(table.seen), elapsed, longest)
	}
	if longest > batchLimit+10*delay && elapsed < 2*time.Duration(len(table.seen))*delay {
		t.Errorf("a batch lasted %v on an unloaded run", longest)
	}
}

// Without per-access locking (no FlagLock) nothing is locked at all.
func TestQueriesNoLockFlag(t *testing.T) {
	var table *lockedTable
	tool, out := testTool(t, 0, strings.NewReader("k1\nk2\n"), &table)
	tool.Queries([]string{"locked:t"}, 0)
	if out.String() != "k1\tv1\n" {
		t.Fatalf("output %q", out.String())
	}
	for _, r := range table.seen {
		if r.held || r.epoch != 0 {
			t.Fatalf("lookup of %s locked a table without FlagLock", r.key)
		}
	}
}
