package main

import (
	"errors"
	"io/fs"
	"syscall"
	"time"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// activeFeed moves a file from a scanned queue into the active queue
// and loads it (qmgr_active_feed); true when a message was taken in.
func (q *qmgr) activeFeed(sc *scan, id string) bool {
	_, st, ok := q.layout.OpenOK(q.log, sc.queue, id)
	if !ok {
		return false
	}
	if sc.flags&scanAll == 0 && st.Mtim.Sec > time.Now().Unix()+1 {
		q.log.Debugf("qmgr_active_feed: skip %s (%d seconds)", id, st.Mtim.Sec-time.Now().Unix())
		return false
	}
	if err := q.layout.Move(id, sc.queue, queue.Active); err != nil {
		if !isNotExist(err) {
			q.fatal("qmgr_active_feed: %s: rename from %s to %s: %s", id, sc.queue, queue.Active, strerror(err))
		}
		q.log.Warnf("qmgr_active_feed: %s: rename from %s to %s: %s", id, sc.queue, queue.Active, strerror(err))
		return false
	}
	flags := sc.flags
	var mode uint32
	if st.Mode&queue.StatUnthrottle != 0 {
		flags |= flushEach | flushDfxp
		mode = st.Mode &^ queue.StatUnthrottle & 07777
	}
	if st.Mode&queue.StatExpire != 0 {
		flags |= forceExpire
	}
	m, err := q.allocMessage(queue.Active, id, flags, mode)
	switch {
	case errors.Is(err, errLocked):
		q.activeDefer(queue.Active, id, queue.Incoming, 60*time.Second)
		return false
	case m == nil:
		q.activeCorrupt(id)
		return false
	}
	if m.refcount == 0 {
		q.activeDone(m)
	}
	return true
}

// activeCorrupt moves a bad file to the corrupt queue.
func (q *qmgr) activeCorrupt(id string) {
	if err := q.layout.Move(id, queue.Active, queue.Corrupt); err != nil {
		if !isNotExist(err) {
			q.fatal("qmgr_active_corrupt: save corrupt file queue %s id %s: %s", queue.Active, id, strerror(err))
		}
		return
	}
	q.log.Warnf("saving corrupt file \"%s\" from queue \"%s\" to queue \"%s\"", id, queue.Active, queue.Corrupt)
}

// activeDefer sets a file's time stamps to now+delay and moves it
// (qmgr_active_defer).
func (q *qmgr) activeDefer(from, id, to string, delay time.Duration) {
	q.log.Debugf("wakeup %s after %d secs", id, int(delay/time.Second))
	when := time.Now().Add(delay).Unix()
	path := q.layout.Path(from, id)
	tv := []syscall.Timeval{{Sec: when}, {Sec: when}}
	if err := syscall.Utimes(q.layout.Abs(path), tv); err != nil && !isNotExist(err) {
		q.fatal("qmgr_active_defer: update %s time stamps: %s", path, strerror(err))
	}
	if err := q.layout.Move(id, from, to); err != nil {
		if !isNotExist(err) {
			q.fatal("qmgr_active_defer: rename %s from %s to %s: %s", id, from, to, strerror(err))
		}
		q.log.Warnf("qmgr_active_defer: rename %s from %s to %s: %s", id, from, to, strerror(err))
	}
}

// bounceInfo is what the bounce services need to know about m.
func (m *message) bounceInfo() bounce.Message {
	return bounce.Message{Queue: m.queueName, ID: m.queueID, Encoding: m.encoding,
		SMTPUTF8: m.smtputf8, Sender: m.sender, EnvID: m.envID, Ret: m.ret}
}

// activeDone runs when every in-memory recipient of m was tried
// (qmgr_active_done): bounces first, then the other steps below.
func (q *qmgr) activeDone(m *message) {
	var st syscall.Stat_t
	if syscall.Stat(q.layout.Abs(q.layout.Path(queue.Bounce, m.queueID)), &st) == nil {
		if st.Size == 0 {
			if err := q.layout.Remove(queue.Bounce, m.queueID); err != nil {
				q.fatal("remove %s %s: %s", queue.Bounce, m.queueID, strerror(err))
			}
		} else {
			info := m.bounceInfo()
			q.async(func() int {
				if m.verpDelims == "" || q.cfg.verpBounceOff {
					return q.status.BounceFlush(bounce.FlagKeep, info)
				}
				return q.status.BounceFlushVerp(bounce.FlagKeep, info, m.verpDelims)
			}, func(status int) {
				m.flags |= status
				q.activeDone2(m)
			})
			return
		}
	}
	q.activeDone2(m)
}

// activeDone2: a damaged file goes to corrupt, remaining recipients are
// read in, and trace reports are sent.
func (q *qmgr) activeDone2(m *message) {
	if m.flags != 0 {
		if _, _, ok := q.layout.OpenOK(q.log, queue.Active, m.queueID); !ok {
			q.activeCorrupt(m.queueID)
			q.freeMessage(m)
			return
		}
	}
	if m.rcptOffset > 0 {
		if !q.reallocMessage(m) {
			q.activeCorrupt(m.queueID)
			q.freeMessage(m)
		} else if m.refcount == 0 {
			q.activeDone(m)
		}
		return
	}
	if m.tflags&(deliver.FlagUserVrfy|deliver.FlagRecord|deliver.FlagRecDlySent) != 0 || m.rflags&readNotifySuccess != 0 {
		info := m.bounceInfo()
		q.async(func() int { return q.status.TraceFlush(m.tflags, info) }, func(status int) {
			if status == 0 && m.tflagsOffset != 0 {
				q.killRecord(m, m.tflagsOffset)
			}
			m.flags |= status
			q.activeDone25(m)
		})
		return
	}
	q.activeDone25(m)
}

// activeDone25 returns expired mail to the sender, or sends a delay
// warning when it is time.
func (q *qmgr) activeDone25(m *message) {
	if m.flags != 0 {
		expire := ""
		lifetime := q.cfg.maxQueueTime
		if m.sender == "" {
			lifetime = q.cfg.dsnQueueTime
		}
		switch {
		case m.qflags&forceExpire != 0:
			expire = "force-expired"
		case time.Now().Unix() >= m.createTime+int64(lifetime/time.Second):
			expire = "expired"
		}
		if expire != "" {
			q.log.Infof("%s: from=<%s>, status=%s, returned to sender", m.queueID, q.status.Log.Addr(m.sender), expire)
			info := m.bounceInfo()
			q.async(func() int {
				if m.verpDelims == "" || q.cfg.verpBounceOff {
					return q.status.DeferFlush(bounce.FlagKeep, info)
				}
				return q.status.DeferFlushVerp(bounce.FlagKeep, info, m.verpDelims)
			}, func(status int) {
				m.flags = status
				q.activeDone3(m)
			})
			return
		}
		if m.warnTime > 0 && time.Now().Unix() >= m.warnTime-1 {
			q.log.Debugf("qmgr_active_done_25_generic: sending defer warning for %s", m.queueID)
			info := m.bounceInfo()
			q.async(func() int { return q.status.DeferWarn(bounce.FlagKeep, info) }, func(status int) {
				if status == 0 {
					q.updateWarn(m)
				}
				q.activeDone3(m)
			})
			return
		}
	}
	q.activeDone3(m)
}

// activeDone3 defers the file with back-off, or removes it when every
// recipient is done.
func (q *qmgr) activeDone3(m *message) {
	if m.flags != 0 {
		delay := q.cfg.minBackoff
		if m.createTime > 0 {
			delay = time.Duration(time.Now().Unix()-m.createTime) * time.Second
			delay = min(max(delay, q.cfg.minBackoff), q.cfg.maxBackoff)
		}
		q.activeDefer(m.queueName, m.queueID, queue.Deferred, delay)
	} else if err := q.layout.Remove(m.queueName, m.queueID); err != nil {
		if !isNotExist(err) {
			q.fatal("qmgr_active_done_3_generic: remove %s from %s: %s", m.queueID, m.queueName, strerror(err))
		}
		q.log.Warnf("qmgr_active_done_3_generic: remove %s from %s: %s", m.queueID, m.queueName, strerror(err))
	} else {
		q.log.Infof("%s: removed", m.queueID)
	}
	q.freeMessage(m)
}

// updateWarn disables further delay warnings: the W record becomes -1
// (qmgr_message_update_warn).
func (q *qmgr) updateWarn(m *message) {
	if !q.openMessage(m) {
		q.fatal("update queue file %s: %s", q.layout.Path(m.queueName, m.queueID), "No such file or directory")
	}
	rec := record.Append(nil, record.Warn, []byte(record.FormatFixed(-1)))
	if _, err := m.fp.WriteAt(rec, m.warnOffset); err != nil {
		q.fatal("update queue file %s: %s", m.fp.Name(), strerror(err))
	}
	m.close()
}

// killRecord disables a record in place (qmgr_message_kill_record).
func (q *qmgr) killRecord(m *message, offset int64) {
	if !q.openMessage(m) {
		q.fatal("update queue file %s: %s", q.layout.Path(m.queueName, m.queueID), "No such file or directory")
	}
	if err := record.PutType(m.fp, offset, record.Kill); err != nil {
		q.fatal("update queue file %s: %s", m.fp.Name(), strerror(err))
	}
	m.close()
}

// fileMode converts a stat mode to the permission bits Chmod takes.
func fileMode(mode uint32) fs.FileMode { return fs.FileMode(mode & 0777) }
