package dict

// Batch locking: Postfix's readers lock a table around every single
// access. A program that runs a burst of lookups back to back (postmap -q
// - with its input already at hand) may instead take the table's lock
// once for the burst with HoldLock and give it up with ReleaseLock. A
// writer's exclusive lock still excludes the whole burst; the caller
// keeps bursts short (see libglobal/maps/mkmap) so that a writer never
// waits noticeably.

// HoldLock takes op (LockShared or LockExclusive) on the table's lock
// file for a batch of accesses: until ReleaseLock, the accesses op covers
// neither lock nor unlock the file themselves. Tables without per-access
// locking (no FlagLock, or no lock file) are left alone and report
// success, as does a table that already holds a lock. When the lock
// cannot be taken the table stays unlocked and each access locks for
// itself again, reporting the failure as it would without a batch.
func (b *Base) HoldLock(op LockOp) error {
	if b.held != LockNone || b.Flags()&FlagLock == 0 || b.LockFD < 0 {
		return nil
	}
	if err := LockFileStyle(b.LockFD, b.LockStyle, op&^LockNoWait); err != nil {
		return Wrap(KindRetry, err, "%s: lock dictionary", b.name)
	}
	b.held = op &^ LockNoWait
	b.epoch++
	return nil
}

// ReleaseLock ends a batch that HoldLock began: the lock file is
// unlocked and accesses lock for themselves again. Without a held lock
// it does nothing.
func (b *Base) ReleaseLock() error {
	if b.held == LockNone {
		return nil
	}
	b.held = LockNone
	if err := LockFileStyle(b.LockFD, b.LockStyle, LockNone); err != nil {
		return Wrap(KindRetry, err, "%s: unlock dictionary", b.name)
	}
	return nil
}

// HeldLock returns the lock HoldLock holds (LockNone outside a batch).
func (b *Base) HeldLock() LockOp { return b.held }

// LockEpoch counts the batches HoldLock began. A table type that caches
// file content during a batch drops the cache when the count changes:
// between two batches a writer may have changed the file.
func (b *Base) LockEpoch() uint64 { return b.epoch }

// Prefetcher is a table that can get ready for lookups that are about to
// come: a program that knows its next few keys (postmap -q - with input
// at hand) passes them to Prefetch, then looks them up one by one as
// usual. Prefetch changes nothing a lookup returns; it only lets the
// table bring the data those lookups need into memory together rather
// than one after the other.
type Prefetcher interface {
	Prefetch(keys []string)
}

// UpdateBuffer is a table that can collect a bulk build's updates and
// write them in an order that suits its file (compat/bdb, compat/lmdb).
// While updates are buffered, an Update that reports no error may still
// fail later: the failure (a write error, a refused duplicate, ErrRestart)
// comes from the FlushUpdates, Update or Close that writes it. Duplicate
// warnings come out at that time too, so a program that logs anything
// else must call FlushUpdates first to keep the messages in source order.
type UpdateBuffer interface {
	// BufferUpdates starts collecting up to about limit bytes of updates
	// between writes; with limit 0 it writes what it holds and stops.
	BufferUpdates(limit int) error
	// FlushUpdates writes the collected updates.
	FlushUpdates() error
	// FlushLater keeps the error of a FlushUpdates whose caller could not
	// report it, for the next Update, FlushUpdates or Close to return.
	FlushLater(err error)
}
