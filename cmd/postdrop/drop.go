package main

import (
	"bytes"
	"gopostfix/compat/maptypes"
	"io"
	"os"
	"sync"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/mailstream"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// settings are the main.cf parameters postdrop uses.
type settings struct {
	queueDir       string
	pickupService  string
	lineLimit      int
	submitACL      string
	triggerTimeout time.Duration
}

func loadSettings(cfg *mailconf.Config) (s settings, err error) {
	get := func(name string, dst *string) {
		if err == nil {
			*dst, err = cfg.Str(name)
		}
	}
	get("queue_directory", &s.queueDir)
	get("pickup_service_name", &s.pickupService)
	get("authorized_submit_users", &s.submitACL)
	if err == nil {
		s.lineLimit, err = cfg.Int("line_length_limit")
	}
	if err == nil {
		s.triggerTimeout, err = cfg.Time("trigger_timeout")
	}
	return s, err
}

// drop is one postdrop run.
type drop struct {
	log *msg.Logger
	settings
	l   *queue.Layout
	uid int

	mu   sync.Mutex
	file *mailstream.File // the maildrop file until it is complete
}

func newDrop(log *msg.Logger, cfg *mailconf.Config) *drop {
	s, err := loadSettings(cfg)
	if err != nil {
		log.Fatalf("%v", err)
	}
	l, err := queue.NewLayout("", cfg)
	if err != nil {
		log.Fatalf("%v", err)
	}
	return &drop{log: log, settings: s, l: l, uid: os.Getuid()}
}

// removeFile deletes an unfinished maildrop file (postdrop_cleanup).
func (d *drop) removeFile() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.file != nil {
		os.Remove(d.file.Path)
		d.file = nil
	}
}

// forget keeps the file from being removed on exit.
func (d *drop) forget() {
	d.mu.Lock()
	d.file = nil
	d.mu.Unlock()
}

// allowedAttr reports whether postdrop passes an attribute record on.
func allowedAttr(name, value string) bool {
	switch name {
	case "encoding":
		return value == "7bit" || value == "8bit" || value == ""
	case "rewrite_context":
		return value == "local" || value == "remote"
	case "envelope_id", "notify_flags", "trace_flags",
		"dsn_orig_rcpt", "ret_flags", "create_time":
		return true
	}
	return false
}

// run copies the message and returns the exit status.
func (d *drop) run(in io.Reader, out io.Writer) int {
	log := d.log
	who, ok, err := mailstream.UserACL(mailstream.TableRegistry(log, maptypes.Register), "authorized_submit_users", d.submitACL, d.uid, log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	if !ok {
		log.Fatalf("User %s(%d) is not allowed to submit mail", who, d.uid)
	}
	if err := os.Chdir(d.queueDir); err != nil {
		log.Fatalf("chdir %s: %s", d.queueDir, queue.Strerror(err))
	}
	log.Debugf("chdir %s", d.queueDir)
	start := time.Now()
	f, err := mailstream.OpenFile(d.l, log, queue.Maildrop, 0444, "public", d.pickupService)
	if err != nil {
		log.Fatalf("%v", err)
	}
	d.mu.Lock()
	d.file = f
	d.mu.Unlock()
	exit := log.Exit
	log.Exit = func(code int) { d.removeFile(); exit(code) }

	aw := attr.NewWriter(out, attr.Format0)
	aw.Print(attr.Str(mailstream.AttrProto, mailstream.ProtoPostdrop), attr.Str(mailstream.AttrQueueID, f.ID))

	f.W.Printf(record.Time, "%d %d", start.Unix(), start.Nanosecond()/1000)
	status, reason, ok := d.copy(in, f)
	if !ok {
		f.Close()
		d.removeFile()
		os.Exit(0)
	}
	if status != mailstream.StatOK {
		f.Close()
		d.forget()
	} else if st, err := f.Finish(d.l, log, d.triggerTimeout); st != mailstream.StatOK {
		status = st
		log.Warnf("uid=%d: %s", d.uid, queue.Strerror(err))
		d.removeFile()
	} else {
		d.forget()
	}
	aw.Print(attr.Int(mailstream.AttrStatus, status), attr.Str(mailstream.AttrWhy, reason))
	return status
}

// segments are the record types allowed from sendmail, per segment; the
// first type of each ends the segment.
var segments = []string{record.PostEnvelopeTypes, record.PostContentTypes, record.PostExtractTypes, ""}

// copy reads the records from sendmail into the file. ok is false when the
// input ended early: the submission was canceled.
func (d *drop) copy(in io.Reader, f *mailstream.File) (status int, reason string, ok bool) {
	log := d.log
	r := record.NewReader(in, "stdin", 0, d.lineLimit)
	expected := 0
	froms, rcpts := 0, 0
	validate := true
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return status, reason, false
		}
		if err != nil {
			d.warnRecord(err)
			log.Fatalf("uid=%d: malformed input", d.uid)
		}
		t := rec.Type
		if !record.In(segments[expected], t) {
			log.Fatalf("uid=%d: unexpected record type: %d", d.uid, t)
		}
		if t == segments[expected][0] {
			expected++
		}
		switch t {
		case record.Time:
			continue
		case record.From:
			if bytes.IndexByte(rec.Data, 0) >= 0 {
				status |= mailstream.StatBad
				reason = "NUL in FROM record"
			}
			froms++
		case record.Rcpt:
			rcpts++
		case record.Attr:
			s := record.CString(rec.Data)
			name, value, bad := record.SplitNameVal(s)
			if bad != "" {
				log.Warnf("uid=%d: ignoring malformed record: %s: %s", d.uid, bad, clip(s, 200))
			} else if allowedAttr(name, value) {
				f.W.PutString(record.Attr, name+"="+value)
			} else {
				log.Warnf("uid=%d: ignoring attribute record: %s=%s", d.uid, clip(name, 200), clip(value, 200))
			}
			continue
		}
		if status != mailstream.StatOK || f.W.Put(t, rec.Data) != nil {
			d.drain(r)
			validate = false
			break
		}
		if t == record.End {
			break
		}
	}
	if validate && (froms == 0 || rcpts == 0) {
		status |= mailstream.StatBad
	}
	return status, reason, true
}

// drain reads and discards the rest of the message.
func (d *drop) drain(r *record.Reader) {
	for {
		rec, err := r.Next()
		if err == io.EOF || (err == nil && rec.Type == record.End) {
			return
		}
		if err != nil {
			d.warnRecord(err)
			d.log.Fatalf("uid=%d: malformed input", d.uid)
		}
	}
}

func (d *drop) warnRecord(err error) {
	d.log.Warnf("%v", err)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
