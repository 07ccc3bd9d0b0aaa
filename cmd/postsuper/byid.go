package main

import (
	"bufio"
	"io"
	"os"
	"strings"
	"time"

	"gopostfix/libglobal/queue"
)

// byID is an operation on one queue ID.
type byID func(s *super, queues []string, id string)

// checkID warns about a bad queue ID argument.
func (s *super) checkID(id string) bool {
	if !queue.IDOK(id) {
		s.log.Warnf("invalid mail queue id: %s", id)
		return false
	}
	return true
}

// deleteOne deletes a message and its logfiles (delete_one).
func deleteOne(s *super, queues []string, id string) {
	if !s.checkID(id) {
		return
	}
	found := false
	for tries := 0; !found && tries < 2; tries++ {
		for _, q := range queues {
			if !s.find(q).messages() {
				continue
			}
			path, _, ok := s.l.OpenOK(s.log, q, id)
			if !ok {
				continue
			}
			for _, lq := range logQueues {
				s.remove(s.l.Path(lq, id))
			}
			if s.remove(path) {
				found = true
				s.log.Infof("%s: removed", id)
				break
			}
		}
	}
	if found {
		s.deleted++
	}
}

// moveOne renames a ready message from one of the queues that pass
// eligible into queue dest; it reports the queue-relative new path.
func (s *super) moveOne(queues []string, id, dest string, tries int, eligible func(q string) bool) (string, bool) {
	for try := 0; try < tries; try++ {
		for _, q := range queues {
			if !eligible(q) {
				continue
			}
			old, _, ok := s.l.OpenOK(s.log, q, id)
			if !ok {
				continue
			}
			nw := s.l.Path(dest, id)
			if s.rename(old, nw) {
				return nw, true
			}
		}
	}
	return "", false
}

// requeueOne moves a message to maildrop so pickup resubmits it.
func requeueOne(s *super, queues []string, id string) {
	if !s.checkID(id) {
		return
	}
	nw, ok := s.moveOne(queues, id, queue.Maildrop, 2, func(q string) bool {
		return q != queue.Maildrop && s.find(q).messages()
	})
	if ok {
		now := time.Unix(s.now().Unix(), 0) // utime(2) takes whole seconds
		if err := os.Chtimes(nw, now, now); err != nil {
			s.log.Warnf("%s: reset time stamps: %s", nw, queue.Strerror(err))
		}
		s.log.Infof("%s: requeued", id)
		s.requeued++
	}
}

// holdOne moves a message to the hold queue.
func holdOne(s *super, queues []string, id string) {
	if !s.checkID(id) {
		return
	}
	_, ok := s.moveOne(queues, id, queue.Hold, 2, func(q string) bool {
		return q != queue.Maildrop && q != queue.Hold && s.find(q).messages()
	})
	if ok {
		s.log.Infof("%s: placed on hold", id)
		s.held++
	}
}

// releaseOne moves a message from hold to deferred (one try only).
func releaseOne(s *super, queues []string, id string) {
	if !s.checkID(id) {
		return
	}
	_, ok := s.moveOne(queues, id, queue.Deferred, 1, func(q string) bool { return q == queue.Hold })
	if ok {
		s.log.Infof("%s: released from hold", id)
		s.released++
	}
}

// expireOne sets the forced-expiration bit of a message.
func expireOne(s *super, queues []string, id string) {
	if !s.checkID(id) {
		return
	}
	found := false
	for tries := 0; !found && tries < 2; tries++ {
		for _, q := range queues {
			if !s.find(q).messages() || q == queue.Maildrop {
				continue
			}
			path, _, ok := s.l.OpenOK(s.log, q, id)
			if !ok {
				continue
			}
			if s.expire(path) {
				found = true
				s.log.Infof("%s: expired", id)
				break
			}
		}
	}
	if found {
		s.expired++
	}
}

// expRelOne expires, then releases from hold.
func expRelOne(s *super, queues []string, id string) {
	expireOne(s, queues, id)
	releaseOne(s, queues, id)
}

// operateStream applies op to each line of r (the "-" argument).
func (s *super) operateStream(r io.Reader, op byID, queues []string) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			op(s, queues, strings.TrimSuffix(line, "\n"))
		}
		if err != nil {
			return
		}
	}
}
