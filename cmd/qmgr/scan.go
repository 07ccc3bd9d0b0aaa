package main

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
)

// Scan request flags (qmgr.h QMGR_SCAN_*, QMGR_FLUSH_*).
const (
	scanStart   = 1 << 0 // start now, or restart when done
	scanAll     = 1 << 1 // ignore queue file time stamps
	flushOnce   = 1 << 2 // unthrottle everything once
	flushDfxp   = 1 << 3 // override defer_transports
	flushEach   = 1 << 4 // unthrottle per message
	forceExpire = 1 << 5 // postsuper -e
)

// scan is one queue scanner (qmgr_scan.c).
type scan struct {
	queue  string
	flags  int // of the scan in progress
	nflags int // for the next scan
	dir    *queue.Scanner
}

// scanRequest asks for a scan (qmgr_scan_request): modifiers apply to
// the current scan where that makes sense, the rest to the next one.
func (q *qmgr) scanRequest(sc *scan, flags int) {
	if flags&flushOnce != 0 {
		q.enableAll()
	}
	if sc.dir != nil && flags&scanAll != 0 {
		sc.flags |= scanAll
	}
	if sc.dir != nil && flags&flushDfxp != 0 {
		sc.flags |= flushDfxp
	}
	sc.nflags |= flags
	if sc.dir == nil && flags&scanStart != 0 {
		sc.nflags &^= scanStart
		q.scanStart(sc)
	}
}

func (q *qmgr) scanStart(sc *scan) {
	sc.flags = sc.nflags
	sc.nflags = 0
	d, err := q.layout.Scan(sc.queue)
	if err != nil {
		q.fatal("open %s: %s", sc.queue, queue.Strerror(err))
	}
	sc.dir = d
}

// scanNext returns the next queue ID, restarting a scan that was asked
// for while the last one ran; "" when there is nothing.
func (q *qmgr) scanNext(sc *scan) string {
	var path string
	if sc.dir != nil {
		path, _ = sc.dir.NextFile()
		if path == "" {
			sc.dir.Close()
			sc.dir = nil
			q.log.Debugf("done %s queue scan", sc.queue)
		}
	}
	if sc.dir == nil && sc.nflags&scanStart != 0 {
		q.scanStart(sc)
		path, _ = sc.dir.NextFile()
	}
	if path == "" {
		return ""
	}
	return filepath.Base(path)
}

// move moves every file from one queue to another with the given time
// stamps (qmgr_move), as qmgr does with active at start-up.
func (q *qmgr) move(from, to string, stamp time.Time) {
	d, err := q.layout.Scan(from)
	if err != nil {
		q.fatal("open %s: %s", from, queue.Strerror(err))
	}
	defer d.Close()
	for {
		p, _ := d.NextFile()
		if p == "" {
			return
		}
		id := filepath.Base(p)
		if !queue.IDOK(id) {
			q.log.Warnf("qmgr_move: ignored: queue %s id %s", from, id)
			continue
		}
		path := q.layout.Path(from, id)
		tv := []syscall.Timeval{syscall.NsecToTimeval(stamp.UnixNano()), syscall.NsecToTimeval(stamp.UnixNano())}
		tv[0].Usec, tv[1].Usec = 0, 0
		if err := syscall.Utimes(q.layout.Abs(path), tv); err != nil {
			if !errors.Is(err, syscall.ENOENT) {
				q.fatal("qmgr_move: update %s time stamps: %s", path, queue.Strerror(err))
			}
			q.log.Warnf("qmgr_move: update %s time stamps: %s", path, queue.Strerror(err))
			continue
		}
		if err := q.layout.Move(id, from, to); err != nil {
			if !errors.Is(err, syscall.ENOENT) {
				q.fatal("qmgr_move: rename %s from %s to %s: %s", id, from, to, queue.Strerror(err))
			}
			q.log.Warnf("qmgr_move: rename %s from %s to %s: %s", id, from, to, queue.Strerror(err))
			continue
		}
		q.log.Debugf("qmgr_move: moved %s from %s to %s", id, from, to)
	}
}

// fatal logs and exits.
func (q *qmgr) fatal(format string, args ...any) {
	q.log.Fatalf(format, args...)
	os.Exit(1)
}
