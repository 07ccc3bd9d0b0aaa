package main

import (
	"errors"
	"syscall"

	"gopostfix/libglobal/queue"
)

// wantedDepth is the hash depth a queue should have; postsuper matches
// hash_queue_names case-sensitively, unlike path construction.
func (s *super) wantedDepth(name string) int {
	for _, n := range s.l.HashNames {
		if n == name {
			return max(s.l.HashDepth, 1)
		}
	}
	return 0
}

// scan walks the queues and applies the repair and wildcard actions to
// every file (postsuper's super()).
func (s *super) scan(queues []string, action int) {
	for _, name := range queues {
		s.log.Debugf("queue: %s", name)
		qp := s.find(name)
		wanted := s.wantedDepth(name)
		if wanted > 0 && !qp.recurse {
			s.log.Fatalf("%s queue must not be hashed", name)
		}
		sc, err := s.l.Scan(name)
		if err != nil {
			s.log.Fatalf("scan_dir_push: open directory %s: %s", name, queue.Strerror(err))
		}
		for {
			entry := sc.Next()
			if entry == "" {
				if sc.Depth() == 0 {
					break
				}
				if sc.Depth() > wanted {
					s.rmdir(sc.Dir())
				}
				sc.Pop()
				continue
			}
			if len(entry) == 1 && qp.recurse {
				if err := sc.Push(entry); err != nil {
					s.log.Fatalf("scan_dir_push: open directory %s/%s: %s", sc.Dir(), entry, queue.Strerror(err))
				}
				continue
			}
			action = s.file(qp, sc.Dir()+"/"+entry, entry, action)
		}
		sc.Close()
	}
}

// file handles one directory entry found by scan and returns the action
// set, from which wildcard actions are dropped once a queue ID was found
// not to match its inode.
func (s *super) file(qp *queueInfo, actual, id string, action int) int {
	var st syscall.Stat_t
	if syscall.Lstat(actual, &st) != nil {
		return action
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		if err := syscall.Rmdir(actual); err != nil {
			if !errors.Is(err, syscall.ENOENT) {
				s.log.Warnf("remove subdirectory %s: %s", actual, queue.Strerror(err))
			}
		} else {
			s.log.Debugf("remove subdirectory %s", actual)
		}
		return action
	}
	if action&actDeleteAll != 0 {
		if s.remove(actual) && qp.messages() && readyMode(st.Mode) {
			s.deleted++
		}
		return action
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG ||
		(action&actPurge != 0 && qp.messages() && !readyMode(st.Mode) &&
			s.now().Unix() > st.Mtim.Sec+int64(maxTempAge.Seconds())) {
		s.remove(actual)
		return action
	}
	if action&actStruct != 0 {
		if fixed, ok := isFix(id); ok {
			id = fixed
			if !queue.IDOK(id) {
				s.log.Warnf("bogus file name: %s", actual)
				return action
			}
			if qp.messages() {
				ino, _, ok := queue.Inode(id)
				if !ok {
					s.log.Warnf("bogus file name: %s", actual)
					return action
				}
				if ino != st.Ino {
					s.log.Warnf("name/inode mismatch: %s", actual)
					return action
				}
			}
			wanted := s.l.Path(qp.name, id)
			if !s.rename(actual, wanted) {
				return action
			}
			if qp.messages() {
				s.inodeFixed++
			}
			actual = wanted
		}
	}
	if !queue.IDOK(id) {
		s.log.Warnf("bogus file name: %s", actual)
		return action
	}
	if action&actStruct != 0 && qp.messages() {
		ino, long, ok := queue.Inode(id)
		if !ok {
			s.log.Warnf("bogus file name: %s", actual)
			return action
		}
		if (long && !s.l.LongIDs) || (ino != st.Ino && (!long || action&actStructRed != 0)) {
			s.inodeMismatch++
			s.fixQueueID(actual, qp.name, id, st.Ino)
			return action &^ actWildcard
		}
	}
	return s.wildcard(qp, actual, id, &st, action)
}

// wildcard applies the "ALL" actions and the position check to one file.
func (s *super) wildcard(qp *queueInfo, actual, id string, st *syscall.Stat_t, action int) int {
	name := qp.name
	if action&actRequeueAll != 0 && qp.messages() && name != queue.Maildrop {
		if s.rename(actual, s.l.Path(queue.Maildrop, id)) {
			s.requeued++
		}
		return action
	}
	if action&(actExpireAll|actExpRelAll) != 0 && qp.messages() && readyMode(st.Mode) &&
		name != queue.Maildrop && s.expire(actual) {
		s.expired++
	}
	if action&actHoldAll != 0 && qp.messages() && name != queue.Maildrop && name != queue.Hold {
		if s.rename(actual, s.l.Path(queue.Hold, id)) {
			s.held++
		}
		return action
	}
	if action&(actReleaseAll|actExpRelAll) != 0 && name == queue.Hold {
		if s.rename(actual, s.l.Path(queue.Deferred, id)) {
			s.released++
		}
		return action
	}
	if action&actStruct != 0 {
		if wanted := s.l.Path(name, id); wanted != actual {
			s.positionMismatch++
			s.rename(actual, wanted)
		}
	}
	return action
}

// fixQueueID renames a message and its logfiles to a name that matches
// the inode, with the #FIX suffix; the next pass puts them in place.
func (s *super) fixQueueID(actual, queueName, id string, ino uint64) {
	newID := queue.WithInode(id, ino, s.l.LongIDs)
	for _, lq := range logQueues {
		s.rename(s.l.Path(lq, id), s.l.Path(lq, newID)+fixSuffix)
	}
	s.rename(actual, s.l.Path(queueName, newID)+fixSuffix)
}
