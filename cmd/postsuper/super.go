package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
)

// Actions (postsuper.c ACTION_*).
const (
	actStruct = 1 << iota
	actPurge
	actDeleteOne
	actDeleteAll
	actRequeueOne
	actRequeueAll
	actHoldOne
	actHoldAll
	actReleaseOne
	actReleaseAll
	actStructRed
	actExpireOne
	actExpireAll
	actExpRelOne
	actExpRelAll

	actDefault   = actStruct | actPurge
	actByID      = actDeleteOne | actRequeueOne | actHoldOne | actReleaseOne | actExpireOne | actExpRelOne
	actWildcard  = actDeleteAll | actRequeueAll | actHoldAll | actReleaseAll | actExpireAll | actExpRelAll
	actForRepair = actPurge | actStruct | actStructRed
)

// maxTempAge is how old an incomplete message file must be before -p
// removes it.
const maxTempAge = 7 * 24 * time.Hour

// fixSuffix marks a file renamed to match its inode, before it is moved
// to its final place.
const fixSuffix = "#FIX"

// queueInfo describes a queue postsuper knows.
type queueInfo struct {
	name    string
	perms   uint32 // queue.StatReady for message queues, 0600 for logs
	recurse bool
}

var queueInfos = []queueInfo{
	{queue.Maildrop, queue.StatReady, false},
	{queue.Incoming, queue.StatReady, true},
	{queue.Active, queue.StatReady, true},
	{queue.Deferred, queue.StatReady, true},
	{queue.Hold, queue.StatReady, true},
	{queue.Trace, 0600, true},
	{queue.Defer, 0600, true},
	{queue.Bounce, 0600, true},
	{queue.Flush, 0600, true},
}

// logQueues hold the per-message logfiles.
var logQueues = []string{queue.Bounce, queue.Defer, queue.Trace}

// defaultQueues is the order of queues without queue arguments.
var defaultQueues = []string{queue.Defer, queue.Bounce, queue.Maildrop, queue.Incoming,
	queue.Active, queue.Deferred, queue.Hold, queue.Flush}

func (qi *queueInfo) messages() bool { return qi.perms == queue.StatReady }

func readyMode(mode uint32) bool { return mode&0700 == queue.StatReady }

// super is one postsuper run.
type super struct {
	l   *queue.Layout
	log *msg.Logger
	now func() time.Time

	requeued, held, released, deleted, expired  int
	inodeFixed, inodeMismatch, positionMismatch int
}

func (s *super) find(name string) *queueInfo {
	for i := range queueInfos {
		if queueInfos[i].name == name {
			return &queueInfos[i]
		}
	}
	s.log.Fatalf("invalid directory name: %s", name)
	return nil
}

// remove deletes a file; a missing file is not an error (postremove).
func (s *super) remove(path string) bool {
	if err := os.Remove(path); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Fatalf("remove file %s: %s", path, queue.Strerror(err))
		}
		return false
	}
	s.log.Debugf("removed file %s", path)
	return true
}

// rename moves a file, creating missing hash directories; a missing
// source is not an error (postrename).
func (s *super) rename(from, to string) bool {
	_, err := queue.Rename(from, to)
	if err == nil {
		s.log.Debugf("renamed file %s as %s", from, to)
		return true
	}
	if errors.Is(err, fs.ErrNotExist) {
		if err = queue.Mkdirs(to); err == nil {
			if _, err = queue.Rename(from, to); err == nil {
				return true
			}
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		s.log.Fatalf("rename file %s as %s: %s", from, to, queue.Strerror(err))
	}
	return false
}

// rmdir removes an empty directory (postrmdir).
func (s *super) rmdir(path string) {
	if err := syscall.Rmdir(path); err != nil {
		if !errors.Is(err, syscall.ENOENT) {
			s.log.Fatalf("remove directory %s: %s", path, queue.Strerror(err))
		}
		return
	}
	s.log.Debugf("remove directory %s", path)
}

// expire sets the forced-expiration bit of a complete message that does
// not have it yet (postexpire).
func (s *super) expire(path string) bool {
	f, st, why, err := safeOpenExisting(path, os.O_RDWR)
	if f == nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Warnf("expire file %s: %s", path, why)
		}
		return false
	}
	defer f.Close()
	if !readyMode(st.Mode) || st.Mode&queue.StatExpire != 0 {
		return false
	}
	if err := syscall.Fchmod(int(f.Fd()), (st.Mode|queue.StatExpire)&07777); err != nil {
		s.log.Warnf("expire file %s: cannot set permission: %s", path, queue.Strerror(err))
		return false
	}
	return true
}

// isFix reports whether name ends in the #FIX suffix and returns the ID.
func isFix(name string) (string, bool) {
	if len(name) < len(fixSuffix) {
		return name, false
	}
	return strings.CutSuffix(name, fixSuffix)
}
