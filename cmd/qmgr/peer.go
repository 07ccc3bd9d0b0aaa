package main

// peer is a job's share of one destination queue (QMGR_PEER): the
// job's entries for that queue, in order.
type peer struct {
	job      *job
	queue    *dqueue
	refcount int // entries, selected or not
	entries  dlist[entry]
	link     links[peer] // on the job's peer list
}

func peerLinks(p *peer) *links[peer] { return &p.link }

// obtainPeer returns the job's peer for queue dq (qmgr_peer_obtain).
func (j *job) obtainPeer(dq *dqueue) *peer {
	if p := j.byQueue[dq]; p != nil {
		return p
	}
	p := &peer{job: j, queue: dq, entries: newList(peerEntryLinks)}
	j.byQueue[dq] = p
	j.peers.pushBack(p)
	return p
}

// freePeer forgets a peer without entries (qmgr_peer_free).
func (j *job) freePeer(p *peer) {
	if p.refcount != 0 || !p.entries.empty() {
		panic("qmgr_peer_free: peer of " + p.queue.name + " in use")
	}
	j.peers.remove(p)
	delete(j.byQueue, p.queue)
}

// readyPeer finds a peer with entries whose queue has room in its
// window, and rotates the job's peers so that the next search starts
// after it (qmgr_peer_select).
func (j *job) readyPeer() *peer {
	for p := j.peers.first(); p != nil; p = j.peers.next(p) {
		dq := p.queue
		if dq.window > dq.busy && !p.entries.empty() {
			j.peers.rotate(p)
			return p
		}
	}
	return nil
}
