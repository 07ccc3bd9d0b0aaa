package main

import (
	"bufio"
	"os"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// searchQueues are the queues -q looks in, in order.
var searchQueues = []string{queue.Maildrop, queue.Incoming, queue.Active,
	queue.Deferred, queue.Hold, queue.Saved}

func catOne(out *bufio.Writer, log *msg.Logger, f *os.File, path string, o *options) {
	r := record.NewReader(f, path, record.Default, 0)
	if err := cat(out, log, r, o); err != nil {
		log.Fatalf("%v", err)
	}
}

func catStdin(out *bufio.Writer, log *msg.Logger, o *options) {
	catOne(out, log, os.Stdin, "stdin", o)
}

func catFiles(out *bufio.Writer, log *msg.Logger, o *options, files []string) {
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			log.Fatalf("open %s: %s", name, queue.Strerror(err))
		}
		catOne(out, log, f, name, o)
		if err := f.Close(); err != nil {
			log.Warnf("close %s: %s", name, queue.Strerror(err))
		}
	}
}

// catQueue finds each queue ID in the queues (two passes, in case the
// file moves between queues meanwhile) and prints it.
func catQueue(out *bufio.Writer, log *msg.Logger, o *options, l *queue.Layout, queueDir string, ids []string) {
	if err := os.Chdir(queueDir); err != nil {
		log.Fatalf("chdir %s: %s", queueDir, queue.Strerror(err))
	}
	for _, id := range ids {
		if !queue.IDOK(id) {
			log.Fatalf("bad mail queue ID: %s", id)
		}
		var f *os.File
		var path string
		var err error
		for tries := 0; f == nil && tries < 2; tries++ {
			for _, q := range searchQueues {
				path = l.Path(q, id)
				if f, err = os.Open(path); err == nil {
					break
				}
			}
		}
		if f == nil {
			log.Fatalf("open queue file %s: %s", id, queue.Strerror(err))
		}
		catOne(out, log, f, path, o)
		if err := f.Close(); err != nil {
			log.Warnf("close %s: %s", id, queue.Strerror(err))
		}
	}
}
