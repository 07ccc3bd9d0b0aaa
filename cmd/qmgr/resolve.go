package main

import (
	"errors"
	"sort"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
)

// Results of allocMessage besides a message.
var errLocked = errors.New("locked")

// allocMessage opens, locks and reads a queue file in the active queue
// and assigns its recipients to destination queues
// (qmgr_message_alloc). A nil message with a nil error means the file
// is corrupt; errLocked that a delivery agent still has it.
func (q *qmgr) allocMessage(queueName, id string, qflags int, mode uint32) (*message, error) {
	m := q.newMessage(queueName, id, qflags)
	if !q.openMessage(m) {
		q.freeMessage(m)
		return nil, nil
	}
	if err := queue.LockFile(m.fp, queue.LockExclusive|queue.LockNoWait); err != nil {
		q.log.Infof("%s: skipped, still being delivered", id)
		m.close()
		q.freeMessage(m)
		return nil, errLocked
	}
	if !q.readMessage(m) {
		m.close()
		q.freeMessage(m)
		return nil, nil
	}
	if mode != 0 {
		if err := m.fp.Chmod(fileMode(mode)); err != nil {
			q.fatal("fchmod %s: %s", m.fp.Name(), strerror(err))
		}
	}
	if m.qflags&forceExpire != 0 {
		var st syscall.Stat_t
		if syscall.Stat(q.layout.Abs(q.layout.Path(queue.Defer, id)), &st) == nil && st.Size > 0 {
			m.flags = 1
			m.close()
			return m, nil
		}
	}
	if err := q.layout.Remove(queue.Defer, id); err != nil && !isNotExist(err) {
		q.fatal("qmgr_message_alloc: %s: remove %s %s: %s", id, queue.Defer, id, strerror(err))
	}
	q.resolveAndAssign(m)
	return m, nil
}

// reallocMessage reads the next batch of recipients
// (qmgr_message_realloc); false means the file went bad.
func (q *qmgr) reallocMessage(m *message) bool {
	if m.rcptOffset <= 0 {
		panic("qmgr_message_realloc: invalid offset")
	}
	if !q.openMessage(m) {
		return false
	}
	if !q.readMessage(m) {
		m.close()
		return false
	}
	q.resolveAndAssign(m)
	return true
}

func (q *qmgr) resolveAndAssign(m *message) {
	sortRcpts(m.rcpts)
	q.resolveMessage(m)
	sortRcpts(m.rcpts)
	q.assignMessage(m)
	m.close()
	if m.rcptOffset == 0 {
		q.messageMoveLimits(m)
	}
}

// messageMoveLimits returns the slots the jobs of a message no longer
// need, once every recipient is read (qmgr_message_move_limits).
func (q *qmgr) messageMoveLimits(m *message) {
	for _, j := range m.jobs {
		q.moveLimits(j)
	}
}

// sortRcpts orders recipients by transport and queue, then by domain
// and address (qmgr_message_sort_compare).
func sortRcpts(rs []*rcpt) {
	sort.SliceStable(rs, func(i, j int) bool { return compareRcpt(rs[i], rs[j]) < 0 })
}

func compareRcpt(a, b *rcpt) int {
	if a.queue != nil && b.queue == nil {
		return -1
	}
	if a.queue == nil && b.queue != nil {
		return 1
	}
	if a.queue != nil {
		if c := strings.Compare(a.queue.transport.name, b.queue.transport.name); c != 0 {
			return c
		}
		if c := strings.Compare(a.queue.name, b.queue.name); c != 0 {
			return c
		}
	}
	ai, bi := strings.LastIndexByte(a.Address, '@'), strings.LastIndexByte(b.Address, '@')
	switch {
	case ai < 0 && bi >= 0:
		return 1
	case ai >= 0 && bi < 0:
		return -1
	case ai >= 0:
		if c := strings.Compare(strings.ToLower(a.Address[ai:]), strings.ToLower(b.Address[bi:])); c != 0 {
			return c
		}
	}
	return strings.Compare(a.Address, b.Address)
}

// resolved is a resolver answer, possibly redirected by qmgr itself.
type resolved struct {
	transport, nexthop, recipient string
	flags                         int
}

// resolveOne asks trivial-rewrite; lookup failures and bad syntax are
// routed to the retry and error transports (qmgr_resolve_one).
func (q *qmgr) resolveOne(m *message, addr string) resolved {
	rep, err := q.resolve(m.tflags&deliver.FlagMTAVrfy != 0, m.sender, addr)
	if err != nil {
		q.log.Warnf("%v", err)
		rep.Flags = rewrite.FlagFail
	}
	r := resolved{rep.Transport, rep.Nexthop, rep.Recipient, rep.Flags}
	if rep.Flags&rewrite.FlagFail != 0 {
		return resolved{transport: "retry", nexthop: "4.3.0 address resolver failure", recipient: addr}
	}
	if rep.Flags&rewrite.FlagError != 0 {
		return resolved{transport: "error", nexthop: "5.1.3 bad address syntax", recipient: rep.Recipient}
	}
	return r
}

// resolve asks trivial-rewrite to resolve (or, for address verification
// probes, verify) addr for sender, unless the resolver cache has the
// answer.
func (q *qmgr) resolve(verify bool, sender, addr string) (rewrite.Reply, error) {
	now := time.Now().Unix()
	if rep, ok := q.resolved.get(verify, sender, addr, now); ok {
		return rep, nil
	}
	var rep rewrite.Reply
	var err error
	if verify {
		rep, err = q.rw.Verify(sender, addr)
	} else {
		rep, err = q.rw.Resolve(sender, addr)
	}
	if err == nil {
		q.resolved.put(verify, sender, addr, rep, time.Now().Unix())
	}
	return rep, err
}

// resolveMessage resolves every recipient to a destination queue
// (qmgr_message_resolve).
func (q *qmgr) resolveMessage(m *message) {
	var t *transport
	var dq *dqueue
	for i, r := range m.rcpts {
		var rep resolved
		switch {
		case m.redirectAddr != "":
			if i > 0 {
				r.queue = nil
				continue
			}
			m.rcptOffset, m.rcptUnread = 0, 0
			canon, err := q.rw.Rewrite(rewrite.ContextLocal, tok822.QuoteLocal(m.redirectAddr, tok822.Quote8BitClean))
			if err != nil {
				q.log.Warnf("%v", err)
				canon = m.redirectAddr
			}
			r.Address = tok822.UnquoteLocal(canon)
			rep = q.resolveOne(m, r.Address)
			if rep.recipient != "" {
				r.Address = rep.recipient
			}
		case m.filterXport != "" && m.tflags&deliver.TraceOnlyMask == 0:
			xport, nexthop, _ := strings.Cut(m.filterXport, ":")
			if nexthop == "" {
				nexthop = q.cfg.defFilterNexthop
				if nexthop == "" {
					at := strings.LastIndexByte(r.Address, '@')
					if at < 0 || at+1 == len(r.Address) {
						nexthop = q.cfg.myhostname
					} else {
						nexthop = r.Address[at+1:]
					}
				}
			}
			rep = resolved{transport: xport, nexthop: nexthop, recipient: r.Address}
		default:
			rep = q.resolveOne(m, r.Address)
			if rep.recipient != r.Address {
				r.Address = rep.recipient
			}
		}
		if r.Address == "" {
			rep = resolved{transport: "error", nexthop: "5.1.3 null recipient address"}
		}
		if m.qflags&forceExpire != 0 {
			rep = resolved{transport: "retry", nexthop: "4.7.0 message is administratively expired"}
		}
		if rep.flags&rewrite.ClassLocal != 0 && q.isDoubleBounce(rep.recipient) {
			st := q.status.Sent(m.tflags, m.queueID, m.stats(), r.Recipient, "none",
				dsn.Simple("2.0.0", "undeliverable postmaster notification discarded"))
			if st == 0 {
				if err := deliver.Completed(m.fp, r.Offset); err != nil {
					q.fatal("%v", err)
				}
			} else {
				m.flags |= st
			}
			r.queue = nil
			continue
		}
		if len(q.cfg.deferTransports) > 0 && m.qflags&flushDfxp == 0 && q.cfg.isDeferTransport(rep.transport) {
			rep = resolved{transport: "retry", nexthop: "4.3.2 deferred transport"}
		}
		if m.tflags&deliver.FlagMTAVrfy != 0 && q.vrfyPendCount > q.cfg.vrfyPendLimit {
			rep = resolved{transport: "retry", nexthop: "4.3.2 Too many address verification requests"}
		}
		if t == nil || t.name != rep.transport {
			t = q.findTransport(rep.transport)
			dq = nil
		}
		if m.qflags&flushEach != 0 && t.dead {
			q.unthrottleTransport(t)
		}
		if t.dead {
			saved := *t.dsn
			if rt := q.errorTransport("retry"); rt != nil {
				t = rt
				rep.nexthop = saved.Status + " " + saved.Reason
				dq = nil
			} else {
				q.deferRecipient(m, r.Recipient, saved)
				r.queue = nil
				continue
			}
		}
		name := rep.nexthop
		if t.name != "error" && t.name != "retry" && t.rcptLimit == 1 {
			local := rep.recipient
			if at := strings.LastIndexByte(local, '@'); at >= 0 {
				local = local[:at]
			}
			if q.cfg.rcptDelim != "" {
				local = q.splitAddr(local)
			}
			name = local + "@" + rep.nexthop
		}
		name = strings.ToLower(name)
		if dq == nil || dq.name != name {
			dq = q.findQueue(t, name, rep.nexthop)
		}
		if m.qflags&flushEach != 0 && dq.throttled() {
			q.unthrottleQueue(dq)
		}
		if dq.throttled() {
			saved := *dq.dsn
			if dq = q.errorQueue("retry", saved); dq == nil {
				q.deferRecipient(m, r.Recipient, saved)
				r.queue = nil
				continue
			}
		}
		r.queue = dq
	}
}

// isDoubleBounce reports whether a local recipient is the double-bounce
// sender, whose mail is discarded.
func (q *qmgr) isDoubleBounce(addr string) bool {
	local := addr
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		local = addr[:at]
	}
	return strings.EqualFold(local, q.cfg.doubleBounce)
}

// splitAddr strips an address extension (split_addr): the local part
// up to the first delimiter character. postmaster, MAILER-DAEMON, the
// double-bounce sender and (with a '-' delimiter and
// owner_request_special) owner-foo and foo-request are never split, nor
// is an address whose local part would become empty.
func (q *qmgr) splitAddr(local string) string {
	delims := q.cfg.rcptDelim
	if strings.EqualFold(local, "postmaster") || strings.EqualFold(local, "MAILER-DAEMON") ||
		strings.EqualFold(local, q.cfg.doubleBounce) {
		return local
	}
	if strings.Contains(delims, "-") && q.cfg.ownReqSpecial {
		lower := strings.ToLower(local)
		if strings.HasPrefix(lower, "owner-") || (len(lower) > 8 && strings.HasSuffix(lower, "-request")) {
			return local
		}
	}
	if i := strings.IndexAny(local, delims); i > 0 {
		return local[:i]
	}
	return local
}

// assignMessage puts the resolved recipients into entries
// (qmgr_message_assign).
func (q *qmgr) assignMessage(m *message) {
	var j *job
	var p *peer
	for _, r := range m.rcpts {
		dq := r.queue
		if dq == nil {
			continue
		}
		if j == nil || dq.transport != j.transport {
			j = q.obtainJob(m, dq.transport)
			p = nil
		}
		if p == nil || dq != p.queue {
			p = j.obtainPeer(dq)
		}
		// Fill the peer's last waiting entry up to the transport's
		// recipient limit.
		e := p.entries.last()
		if m.singleRcpt || e == nil || (dq.transport.rcptLimit != 0 && len(e.rcpts) >= dq.transport.rcptLimit) {
			e = q.createEntry(p, m)
		}
		e.rcpts = append(e.rcpts, r.Recipient)
		j.rcptCount++
		m.rcptCount++
		q.recipientCount++
	}
	m.rcpts = nil
	// The unread recipient count changed, and with it every job's
	// chances as a candidate.
	for _, j := range m.jobs {
		if j.hasEntries() && !j.isBlocker() {
			j.transport.candCacheCurrent = nil
		}
	}
}
