package main

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path"
	"syscall"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/showq"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

// queueOrder is the order in which showq lists the queues; maildrop is
// flat, the others may have hashed subdirectories.
var queueOrder = []struct {
	name string
	flat bool
}{
	{queue.Maildrop, true},
	{queue.Active, false},
	{queue.Incoming, false},
	{queue.Deferred, false},
	{queue.Hold, false},
}

// serve answers one client: the greeting, every listable queue file, the
// end of the list.
func serve(cfg *config, s *libmaster.Server, c net.Conn) {
	if len(s.Flags.Args) > 0 {
		s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
	}
	w := showq.NewWriter(attr.NewWriter(c, attr.Format0))
	if err := w.Announce(); err != nil {
		return
	}
	r := &reporter{cfg: cfg, log: s.Log, w: w}
	for _, q := range queueOrder {
		r.listQueue(q.name, q.flat)
	}
	w.End()
}

// listQueue reports every complete file of one queue. A queue directory
// that cannot be read is fatal, as scan_dir_open is.
func (r *reporter) listQueue(name string, flat bool) {
	sc, err := r.cfg.layout.Scan(name)
	if err != nil {
		r.fatalScan(name, err)
	}
	defer sc.Close()
	saved := ""
	for {
		id, err := nextID(sc, flat)
		if err != nil {
			r.fatalScan(name, err)
		}
		if id == "" || id == "." {
			return
		}
		// A directory that returns the same name twice in a row would
		// make the listing loop forever.
		if id == saved {
			r.log.Warnf("readdir loop on queue %s id %s", name, id)
			return
		}
		saved = id
		r.listFile(name, id)
		if r.w.Flush() != nil {
			r.failed = true
		}
	}
}

// nextID returns the next name of a flat queue (scan_dir_next) or the
// next file of a hashed one (mail_scan_dir_next), "" at the end.
func nextID(sc *queue.Scanner, flat bool) (string, error) {
	if flat {
		return sc.Next(), nil
	}
	p, err := sc.NextFile()
	return path.Base(p), err
}

// fatalScan reports a directory that cannot be entered, in scan_dir's
// words.
func (r *reporter) fatalScan(dir string, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		dir = pe.Path
	}
	r.log.Fatalf("scan_dir_push: open directory %s: %s", dir, queue.Strerror(err))
}

// listFile reports one queue file when it is complete and readable.
func (r *reporter) listFile(queueName, id string) {
	if r.failed {
		return
	}
	_, st, ok := r.cfg.layout.OpenOK(r.log, queueName, id)
	if !ok {
		return
	}
	f, err := r.cfg.layout.Open(queueName, id, os.O_RDONLY, 0)
	if err != nil {
		if !errors.Is(err, syscall.ENOENT) {
			r.log.Warnf("open %s %s: %s", queueName, id, queue.Strerror(err))
		}
		return
	}
	r.report(queueName, id, f, st)
	if err := f.Close(); err != nil {
		r.log.Warnf("close file %s %s: %s", queueName, id, queue.Strerror(err))
	}
}
