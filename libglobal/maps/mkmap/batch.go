package mkmap

import (
	"sync/atomic"
	"time"

	"gopostfix/libglobal/util/dict"
)

// batchLimit is the longest time a burst of stdin queries keeps its
// tables locked before it lets a waiting writer in.
const batchLimit = 10 * time.Millisecond

// lockBatch holds the shared locks of the tables that a burst of stdin
// queries (postmap -q -, postalias -q -) reads, instead of locking and
// unlocking each table around every lookup as Postfix does.
//
// Deliberate difference from Postfix, for speed: a burst is the run of
// lookups whose keys are already in the input buffer. The locks are
// released before every read from stdin (which may block), and at the
// latest batchLimit after they were taken, so a writer, whose exclusive
// lock still excludes every lookup, waits at most that long. What a
// lookup can see is unchanged: a table either before or after a writer's
// complete update, never in between.
type lockBatch struct {
	t     *Tool
	held  []dict.Dict
	due   atomic.Bool // batchLimit has passed since the first lock
	timer *time.Timer
}

// hold takes d's shared lock for the rest of the burst. Tables without
// per-access locking are left alone; when the lock cannot be taken, the
// lookup locks for itself and reports the failure as it always does.
func (b *lockBatch) hold(d dict.Dict) {
	c := d.Common()
	if c.HeldLock() != dict.LockNone || c.LockFD < 0 || c.Flags()&dict.FlagLock == 0 {
		return
	}
	if c.HoldLock(dict.LockShared) != nil {
		return
	}
	if len(b.held) == 0 {
		b.due.Store(false)
		if b.timer == nil {
			b.timer = time.AfterFunc(batchLimit, func() { b.due.Store(true) })
		} else {
			b.timer.Reset(batchLimit)
		}
	}
	b.held = append(b.held, d)
}

// tick ends the burst when it has lasted batchLimit.
func (b *lockBatch) tick() {
	if len(b.held) > 0 && b.due.Load() {
		b.release()
	}
}

// release unlocks every table the burst holds (before a read from stdin
// and at the end). A failed unlock is a query error, as after a lookup.
func (b *lockBatch) release() {
	if len(b.held) == 0 {
		return
	}
	b.timer.Stop()
	held := b.held
	b.held = b.held[:0]
	for _, d := range held {
		if err := d.Common().ReleaseLock(); err != nil {
			b.t.Stdout.Flush()
			b.t.queryError(d, err)
		}
	}
}
