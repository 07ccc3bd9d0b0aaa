package main

import (
	"errors"
	"os"
	"strings"
	"syscall"

	"gopostfix/libglobal/bouncelog"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/showq"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// reporter sends the entries of one listing.
type reporter struct {
	cfg    *config
	log    *msg.Logger
	w      *showq.Writer
	failed bool // the client went away: stop reading files
}

// fileState is what report learns while reading one queue file.
type fileState struct {
	arrival    int64
	size       int64
	sizeOK     bool
	senderSeen bool
	listed     map[string]bool // recipients already shown from the defer log; nil without one
}

// report reads a queue file record by record (following pointer records)
// and sends its entry: the head at the sender record, then the defer
// logfile's recipients with their reasons, then every recipient record
// not listed yet. Content is skipped with the size record's length.
func (r *reporter) report(queueName, id string, f *os.File, st *syscall.Stat_t) {
	fs := &fileState{size: st.Size}
	rd := record.NewReader(f, r.cfg.layout.Path(queueName, id), record.Default, 0)
	defer r.w.EndMessage()
	for !r.failed {
		rec, err := rd.Next()
		if err != nil {
			var fe *record.FormatError
			if errors.As(err, &fe) {
				r.log.Warnf("%s", fe.Text)
			}
			return
		}
		data := record.CString(rec.Data)
		r.log.Debugf("record %c %s", rec.Type, r.printable(data))
		switch rec.Type {
		case record.Time:
			if fs.arrival == 0 {
				fs.arrival = record.Atol(data)
			}
		case record.Size:
			r.sizeRecord(fs, id, data)
		case record.From:
			if !r.sender(fs, queueName, id, data, st) {
				return
			}
			r.deferReasons(fs, id)
		case record.Rcpt:
			if !fs.senderSeen {
				r.log.Warnf("%s: missing sender address:  -- skipping remainder of this file", id)
				return
			}
			if data == "" {
				data = r.cfg.emptyAddr
			}
			addr := r.quote(data)
			if fs.listed == nil || !fs.listed[addr] {
				r.send(r.w.Recipient(showq.Recipient{Address: addr}))
			}
		case record.Mesg:
			if fs.sizeOK {
				if err := rd.SeekTo(rd.Offset() + fs.size); err != nil {
					r.log.Fatalf("seek file %s: %s", rd.Path(), queue.Strerror(err))
				}
			}
		}
	}
}

// sizeRecord takes the message size from the first size record, when it
// holds only digits and spaces; otherwise the file size stays.
func (r *reporter) sizeRecord(fs *fileState, id, data string) {
	if fs.sizeOK {
		return
	}
	if strings.Trim(data, "0123456789 ") == "" {
		if n := record.Atol(data); n >= 0 {
			fs.size, fs.sizeOK = n, true
			return
		}
	}
	r.log.Warnf("%s: malformed size record: %.100s -- using file size instead", id, r.printable(data))
}

// sender starts the entry. A second sender record ends the file's
// listing (false).
func (r *reporter) sender(fs *fileState, queueName, id, data string, st *syscall.Stat_t) bool {
	if data == "" {
		data = r.cfg.emptyAddr
	}
	addr := r.quote(data)
	if fs.senderSeen {
		r.log.Warnf("%s: duplicate sender address: %s -- skipping remainder of this file", id, addr)
		return false
	}
	fs.senderSeen = true
	arrival := fs.arrival
	if arrival <= 0 {
		arrival = st.Mtim.Sec
	}
	r.send(r.w.Message(showq.Message{Queue: queueName, ID: id, Arrival: arrival, Size: fs.size,
		ForcedExpire: st.Mode&queue.StatExpire != 0, Sender: addr}))
	return true
}

// deferReasons lists the recipients of the defer logfile, with their
// reasons, and remembers them (up to duplicate_filter_limit, 0 meaning
// no limit) so that their recipient records are not listed again.
func (r *reporter) deferReasons(fs *fileState, id string) {
	f, err := r.cfg.layout.Open(queue.Defer, id, os.O_RDONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	fs.listed = map[string]bool{}
	lr := bouncelog.NewReader(f, queue.Defer, r.cfg.layout.Path(queue.Defer, id), r.log)
	lr.UTF8 = r.cfg.utf8
	for !r.failed {
		e, ok := lr.Next()
		if !ok {
			return
		}
		if r.cfg.dupLimit == 0 || len(fs.listed) < r.cfg.dupLimit {
			fs.listed[e.Recipient] = true
		}
		r.send(r.w.Recipient(showq.Recipient{Address: e.Recipient, Reason: e.Reason}))
	}
}

// send notes a failed write: the client is gone, the rest is skipped.
func (r *reporter) send(err error) {
	if err != nil {
		r.failed = true
	}
}

// quote is an envelope address as listed: RFC 822 quoted local part,
// non-printable bytes replaced.
func (r *reporter) quote(addr string) string {
	return r.printable(tok822.QuoteLocal(addr, tok822.QuoteDefault))
}

func (r *reporter) printable(s string) string {
	if r.cfg.utf8 {
		return dict.Printable(s)
	}
	return msg.PrintableText(s)
}
