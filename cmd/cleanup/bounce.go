package main

import (
	"errors"
	"os"
	"strings"
	"time"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// DSN RET values (dsn_mask.h).
const dsnRetHdrs = 2

// canBounce reports whether cleanup returns the message to its sender
// itself instead of replying with the error: the client asked for it,
// the sender is known and the error is one a notice can describe.
func (st *state) canBounce() bool {
	return st.errs&statMaskCantBounce == 0 && st.sender != nil && st.flags&flagBounce != 0
}

// bounce reports every recipient of the queue file written so far as
// undeliverable and asks the bounce service for the non-delivery notice
// (cleanup_bounce). On success the errors are cleared and the file is to
// be discarded; otherwise only a write error remains, so that the
// client keeps its copy.
func (d *daemon) bounce(st *state) {
	var status, text string
	if st.reason != "" {
		status, text = dsn.Split("5.0.0", st.reason)
	} else {
		detail := cleanup.StatDetail(st.errs)
		status, text = detail.DSN, detail.Text
	}
	st.buf.Flush()
	stats := deliver.Stats{IncomingArrival: time.Unix(st.arrival, st.arrivalUs*1000)}
	appendOne := func(r deliver.Recipient) {
		if d.status.BounceAppend(bounce.FlagClean, st.queueID, stats, r, bounce.NoRelay, dsn.Simple(status, text)) != 0 {
			st.errs |= statWrite
		}
	}
	n, err := d.eachRecipient(st, func(r deliver.Recipient) bool {
		appendOne(r)
		return st.errs&statWrite == 0
	})
	if err != nil {
		d.cfg.log.Fatalf("cleanup_bounce: %v", err)
	}
	if st.errs&statWrite == 0 && n == 0 {
		appendOne(deliver.Recipient{Address: "unknown"})
	}
	if st.errs&statWrite == 0 {
		m := bounce.Message{Queue: queue.Incoming, ID: st.queueID, Encoding: st.attrs["encoding"],
			SMTPUTF8: st.smtputf8, Sender: deref(st.sender), EnvID: st.dsnEnvID, Ret: st.dsnRet}
		// Content that failed the checks is not sent back.
		if st.errs&(statCont|statSize) != 0 {
			m.Ret = dsnRetHdrs
		}
		var res int
		if st.verpDelims == "" || d.verpBounceOff {
			res = d.status.BounceFlush(bounce.FlagClean, m)
		} else {
			res = d.status.BounceFlushVerp(bounce.FlagClean, m, st.verpDelims)
		}
		if res != 0 {
			d.cfg.log.Warnf("%s: bounce message failure", st.queueID)
			st.errs |= statWrite
		}
	}
	if st.errs &= statWrite; st.errs == 0 {
		st.flags |= flagDiscard
	}
}

// eachRecipient calls fn for every recipient record of the queue file
// (with its DSN attributes and original address) until fn returns
// false, and returns the number of recipients seen.
func (d *daemon) eachRecipient(st *state, fn func(deliver.Recipient) bool) (int, error) {
	path := d.layout.Path(queue.Incoming, st.queueID)
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	// Postfix names the file relative to the queue directory.
	rd := record.NewReader(f, strings.TrimPrefix(path, d.queueDir+"/"), record.FollowPtr, 0)
	var r deliver.Recipient
	n := 0
	for {
		rec, err := rd.Next()
		var ferr *record.FormatError
		if errors.As(err, &ferr) {
			d.cfg.log.Warnf("%s", ferr.Text)
		}
		if err != nil || rec.Type == record.End {
			return n, nil
		}
		t, val := rec.Type, string(rec.Data)
		if t == record.Attr {
			name, value, _ := record.SplitNameVal(val)
			if value == "" {
				continue
			}
			if m, ok := attrMap[name]; ok {
				t, val = m, value
			}
		}
		switch t {
		case record.DSNORcpt:
			r.DSNOrcpt = val
		case record.DSNNotify:
			r.DSNNotify = 0
			if v := int(record.Atol(val)); allDigits(val) && v > 0 && notifyOK(v) {
				r.DSNNotify = v
			}
		case record.ORcpt:
			r.OrigAddr = val
		case record.Rcpt:
			r.Offset, r.Address = rec.Offset, val
			if r.OrigAddr == "" {
				r.OrigAddr = val
			}
			n++
			if !fn(r) {
				return n, nil
			}
			r = deliver.Recipient{}
		case record.Done, record.Canceled:
			r = deliver.Recipient{}
		}
	}
}
