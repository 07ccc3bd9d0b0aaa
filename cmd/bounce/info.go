package main

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"

	"gopostfix/libglobal/bouncelog"
	"gopostfix/libglobal/bouncetmpl"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// info is what one notification is made from (Postfix's BOUNCE_INFO):
// the original queue file's envelope facts, the logfile, the template.
type info struct {
	d         *daemon
	service   string // logfile queue: bounce, defer, trace, or "none"
	queueName string
	queueID   string
	smtputf8  int
	mimeEnc   string // "", "7bit" or "8bit"
	envID     string
	tmpl      *bouncetmpl.Template
	mailName  string // $mail_name as an RFC 822 atom
	boundary  string

	orig      *os.File // the original message, or nil when it is gone
	origPath  string
	sender    string // quoted; MAILER-DAEMON for the null sender
	arrival   int64
	origOffs  int64 // start of the message content
	msgSize   int64
	origMsgID string // for threaded bounces

	// log holds the logfile text (nil when there is none); each pass over
	// it reads it anew, as Postfix rewinds and re-reads.
	log []byte
	// one is the single recipient of a bounce_one request.
	one *bouncelog.Entry
}

// newInfo opens the original message and, for service != "none", its
// logfile (bounce_mail_init, bounce_mail_alloc). Trouble other than a
// missing file is fatal, to make the caller back off.
func (d *daemon) newInfo(service, queueName, queueID, encoding string, smtputf8 int, envID string, t *bouncetmpl.Template) *info {
	b := &info{d: d, service: service, queueName: queueName, queueID: queueID,
		smtputf8: smtputf8, envID: envID, tmpl: t}
	if service != "none" {
		data, err := os.ReadFile(d.layout.Path(service, queueID))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			d.s.Log.Fatalf("open %s %s: %s", service, queueID, dict.ErrnoText(err))
		}
		if err == nil {
			b.log = data
		}
	}
	switch {
	case d.cfg.smtputf8, encoding == "8bit":
		b.mimeEnc = "8bit"
	case encoding == "7bit":
		b.mimeEnc = "7bit"
	default:
		if encoding != "" {
			d.s.Log.Warnf("%s: unknown encoding: %.200s", queueID, encoding)
		}
	}
	b.mailName = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\r\n()<>@,;:\\\".[]", r) {
			return '-'
		}
		return r
	}, d.cfg.mailName)
	b.boundary = queueID + "." + strconv.FormatInt(d.now().Unix(), 10) + "/" + d.cfg.myhostname
	b.readEnvelope()
	return b
}

// readEnvelope finds the arrival time, sender, content offset and size
// (and, for threaded bounces, the Message-ID) in the original queue file,
// which it keeps open with a shared lock so that a restarting qmgr
// leaves it alone. A damaged envelope yields what could be found.
func (b *info) readEnvelope() {
	d := b.d
	b.origPath = d.layout.Path(b.queueName, b.queueID)
	f, err := d.layout.Open(b.queueName, b.queueID, os.O_RDWR, 0)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			d.s.Log.Fatalf("open %s %s: %s", b.service, b.queueID, dict.ErrnoText(err))
		}
		return
	}
	if err := queue.LockFile(f, queue.LockShared|queue.LockNoWait); err != nil {
		d.s.Log.Fatalf("cannot get shared lock on %s: %s", b.origPath, dict.ErrnoText(err))
	}
	b.orig = f
	threaded := d.cfg.threaded
	allHeaders, skip, inEnvelope := false, false, true
	rd := record.NewReader(f, b.origPath, record.Default, 0)
	prev := byte(0)
	for {
		rec, err := rd.Next()
		if err != nil {
			warnDamaged(d.s.Log, err)
			break
		}
		data := string(rec.Data)
		switch rec.Type {
		case record.Size:
			if b.msgSize == 0 {
				record.ScanLongs(data, &b.msgSize, &b.origOffs)
			}
			b.msgSize = max(b.msgSize, 0)
			b.origOffs = max(b.origOffs, 0)
		case record.Time:
			if b.arrival == 0 {
				b.arrival = max(record.Atol(data), 0)
			}
		case record.From:
			s := data
			if s == "" {
				s = "MAILER-DAEMON"
			}
			b.sender = tok822.QuoteLocal(s, 0)
		case record.Mesg:
			if b.sender == "" {
				d.s.Log.Warnf("%s: no sender before message content record", b.queueID)
			}
			b.origOffs = rd.Offset()
			if threaded {
				inEnvelope = false
			} else {
				skip = true
			}
		case record.Norm, record.Cont:
			if inEnvelope || !threaded || allHeaders || prev == record.Cont {
				break
			}
			if record.IsHeader(rec.Data) {
				b.checkMessageID(data)
			} else if len(data) > 0 && (data[0] == ' ' || data[0] == '\t') {
				// continuation of a header
			} else {
				allHeaders, skip = true, true
			}
		case record.Xtra:
			if b.origMsgID == "" && threaded {
				allHeaders = true
			}
			inEnvelope = true
		}
		if b.origOffs > 0 && b.arrival > 0 && b.sender != "" &&
			(!threaded || allHeaders || b.origMsgID != "") {
			break
		}
		if skip {
			rd.SeekTo(b.origOffs + b.msgSize)
			skip = false
		}
		prev = rec.Type
	}
}

// checkMessageID keeps the Message-ID header value for threading.
func (b *info) checkMessageID(line string) {
	i := strings.IndexByte(line, ':')
	if !strings.EqualFold(strings.TrimRight(line[:i], " \t"), "message-id") {
		return
	}
	v := strings.TrimRight(line, " \t\r\n")
	v = strings.TrimLeft(v[i+1:], " \t\r\n\v\f")
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") {
		b.origMsgID = v
	} else {
		b.d.s.Log.Warnf("%s: ignoring malformed Message-ID", b.queueID)
	}
}

// entries reads the logfile from the start; ok is false when there is
// none. Only entries whose NOTIFY matches filter (or that have none) are
// returned.
func (b *info) entries(filter int) ([]bouncelog.Entry, bool) {
	if b.log == nil {
		return nil, false
	}
	rd := bouncelog.NewReader(strings.NewReader(string(b.log)), b.service, b.d.layout.Path(b.service, b.queueID), b.d.s.Log)
	rd.UTF8 = b.d.cfg.smtputf8
	var out []bouncelog.Entry
	for {
		e, ok := rd.Next()
		if !ok {
			return out, true
		}
		if e.Notify == 0 || e.Notify&filter != 0 {
			out = append(out, e)
		}
	}
}

// close releases the original queue file.
func (b *info) close() {
	if b.orig != nil {
		if err := b.orig.Close(); err != nil {
			b.d.s.Log.Warnf("%s: read message file %s %s: %s", b.queueID, b.queueName, b.queueID, dict.ErrnoText(err))
		}
	}
}

// seekContent positions the original at its content; false when it is
// unavailable.
func (b *info) seekContent() bool {
	if b.orig == nil || b.origOffs == 0 {
		return false
	}
	_, err := b.orig.Seek(b.origOffs, io.SeekStart)
	return err == nil
}

// warnDamaged logs the warning of a damaged queue file record, as
// rec_get does before it returns an error; the end of the file is no
// warning.
func warnDamaged(log *msg.Logger, err error) {
	var fe *record.FormatError
	if errors.As(err, &fe) {
		log.Warnf("%s", fe.Text)
	}
}
