package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// pickup holds the configuration.
type pickup struct {
	log        *msg.Logger
	queueDir   string
	ownerUID   uint32
	flags      int
	autoUTF8   bool
	lineLimit  int
	filter     string
	myhostname string
	mailName   string
	service    string
	timeout    time.Duration
}

// What to do with a maildrop file after an attempt.
const (
	keepFile = iota
	removeFile
)

// attrMapNames are the attribute names that stand for record types
// (rec_attr_map); the only attributes kept from the extracted segment.
var attrMapNames = map[string]bool{
	"dsn_orig_rcpt": true, "notify_flags": true, "envelope_id": true, "ret_flags": true, "create_time": true,
}

// scan processes every ready file of the maildrop queue, repeating while
// files were removed (pickup_service).
func (p *pickup) scan() {
	layout := queue.DefaultLayout(p.queueDir)
	for {
		count := 0
		sc, err := layout.Scan(queue.Maildrop)
		if err != nil {
			p.log.Warnf("open directory %s: %v", queue.Maildrop, err)
			return
		}
		for {
			id := sc.Next()
			if id == "" {
				break
			}
			path, st, ok := layout.OpenOK(p.log, queue.Maildrop, id)
			if !ok {
				continue
			}
			if p.file(layout.Abs(path), path, st) == removeFile {
				if err := os.Remove(layout.Abs(path)); err != nil {
					p.log.Warnf("remove %s: %s", path, queue.Strerror(err))
				} else {
					count++
				}
			}
		}
		sc.Close()
		if count == 0 {
			return
		}
	}
}

// file submits one maildrop file (pickup_file).
func (p *pickup) file(abs, path string, st *syscall.Stat_t) int {
	f, err := os.OpenFile(abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			p.log.Warnf("open input file %s: %s", path, queue.Strerror(err))
		}
		if errors.Is(err, os.ErrPermission) {
			p.log.Warnf("if this file was created by Postfix < 1.1, then you may have to chmod a+r %s/%s", p.queueDir, path)
			return keepFile
		}
		return removeFile
	}
	defer f.Close()
	requeued := st.Uid == p.ownerUID && st.Mode&0004 == 0
	flags := p.flags
	if requeued {
		flags &^= cleanup.FlagMilter
	} else if p.autoUTF8 {
		flags |= cleanup.FlagAutoUTF8
	}
	c, err := p.connect(flags)
	if err != nil {
		return keepFile
	}
	defer c.Close()
	j := &job{p: p, c: c, rd: record.NewReader(f, path, record.Default, p.lineLimit), st: st, path: path, requeued: requeued}
	return j.copy()
}

// connect waits for the cleanup service (mail_connect_wait).
func (p *pickup) connect(flags int) (*cleanup.Stream, error) {
	for count := 1; ; count++ {
		c, err := cleanup.Open(p.queueDir, p.service, flags, p.timeout)
		if err == nil {
			return c, nil
		}
		p.log.Warnf("connect #%d to subsystem public/%s: %v", count, p.service, err)
		if count >= 10 {
			p.log.Fatalf("connect #%d to subsystem public/%s: %v", count, p.service, err)
		}
		time.Sleep(10 * time.Second)
	}
}

// job is one file being copied.
type job struct {
	p        *pickup
	c        *cleanup.Stream
	rd       *record.Reader
	st       *syscall.Stat_t
	path     string
	requeued bool
	sender   *string
}

// copy streams the file to cleanup (pickup_copy).
func (j *job) copy() int {
	p := j.p
	now := time.Now().Unix()
	mtime := j.st.Mtim.Sec
	if mtime > now+2*3600 {
		p.log.Warnf("%s: message dated %d seconds into the future", j.c.ID, mtime-now)
		mtime = now
	} else if mtime < now-86400 {
		p.log.Warnf("%s: message has been queued for %d days", j.c.ID, (now-mtime)/86400)
	}
	w := j.c.W
	if p.filter != "" {
		w.PutString(record.Filter, p.filter)
	}
	if st := j.segment(record.EnvelopeTypes, mtime); st >= 0 {
		return st
	}
	if j.sender == nil {
		p.log.Warnf("%s: uid=%d: no envelope sender", j.c.ID, j.st.Uid)
		return removeFile
	}
	if j.requeued {
		p.log.Infof("%s: uid=%d from=<%s> orig_id=%s", j.c.ID, j.st.Uid, *j.sender, j.path[strings.LastIndexByte(j.path, '/')+1:])
	} else {
		p.log.Infof("%s: uid=%d from=<%s>", j.c.ID, j.st.Uid, *j.sender)
	}
	w.PutString(record.Mesg, "")
	w.PutString(record.Norm, fmt.Sprintf("Received: by %s (%s, from userid %d)", p.myhostname, p.mailName, j.st.Uid))
	w.PutString(record.Norm, fmt.Sprintf("\tid %s; %s", j.c.ID, headers.MailDate(time.Unix(mtime, 0))))
	if st := j.segment(record.ContentTypes, mtime); st >= 0 {
		return st
	}
	w.PutString(record.Xtra, "")
	if st := j.segment(record.ExtractTypes, mtime); st >= 0 {
		return st
	}
	w.PutString(record.End, "")
	status, reason, err := j.c.Finish()
	if err != nil {
		return j.serviceError(cleanup.StatWrite, "")
	}
	if status != 0 {
		return j.serviceError(status, reason)
	}
	return removeFile
}

// serviceError reports a cleanup failure (cleanup_service_error_reason):
// bad or recipient-less files are removed, others kept for later.
func (j *job) serviceError(status int, reason string) int {
	if reason == "" {
		j.p.log.Warnf("%s: error writing %s: %s", j.path, j.c.ID, cleanup.Strerror(status))
	}
	if status&(cleanup.StatBad|cleanup.StatRcpt) != 0 {
		return removeFile
	}
	return keepFile
}

// segment copies records up to the first of expected, the set of types
// allowed in this segment (copy_segment). It returns -1 when done, else
// what to do with the file.
func (j *job) segment(expected string, mtime int64) int {
	p := j.p
	checkFirst := expected[0] == record.ContentTypes[0]
	timeSeen := false
	w := j.c.W
	for {
		rec, err := j.rd.Next()
		if err != nil || !strings.ContainsRune(expected, rune(rec.Type)) {
			p.log.Warnf("uid=%d: unexpected or malformed record type %d", j.st.Uid, recordType(p.log, rec, err))
			return removeFile
		}
		t, data := rec.Type, rec.Data
		if t == expected[0] {
			return -1
		}
		if t == record.From {
			if j.sender == nil {
				j.sender = new(string)
				*j.sender = record.CString(data)
			}
			if !timeSeen {
				w.PutString(record.Time, fmt.Sprintf("%d", mtime))
			}
		}
		if t == record.Time {
			timeSeen = true
		}
		if expected[0] != record.ContentTypes[0] && (t == record.Filter || t == record.Redirect) {
			continue
		}
		if expected[0] == record.ExtractTypes[0] {
			if t == record.RRTo || t == record.ErrorsTo {
				continue
			}
			if t == record.Attr {
				name, _, errText := record.SplitNameVal(string(data))
				if errText == "" && !attrMapNames[name] {
					continue
				}
			}
		}
		if checkFirst && (t == record.Norm || t == record.Cont) {
			checkFirst = false
			if len(data) > 0 && (data[0] == ' ' || data[0] == '\t') {
				w.Put(record.Norm, nil)
			}
		}
		if err := w.Put(t, data); err != nil {
			return j.serviceError(cleanup.StatWrite, "")
		}
	}
}

// Postfix's rec_get results that are not record types.
const (
	recTypeEOF   = -1 // REC_TYPE_EOF: the end of the file
	recTypeError = -2 // REC_TYPE_ERROR: a damaged record
)

// recordType is the record type rec_get returns for a read: the
// record's type, REC_TYPE_EOF at the end of the file, or REC_TYPE_ERROR
// for a damaged record, whose warning it logs first as rec_get does.
func recordType(log *msg.Logger, rec record.Record, err error) int {
	var fe *record.FormatError
	switch {
	case err == nil:
		return int(rec.Type)
	case err == io.EOF:
		return recTypeEOF
	case errors.As(err, &fe):
		log.Warnf("%s", fe.Text)
	}
	return recTypeError
}
