package main

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/trigger"
)

const (
	queueFlush    = "flush"
	queueDeferred = "deferred"
	queueIncoming = "incoming"
	// statUnthrottle is the mode bit that asks qmgr to unthrottle the
	// destinations of a queue file (MAIL_QUEUE_STAT_UNTHROTTLE).
	statUnthrottle = 0o040
)

// eligible matches site against fast_flush_domains.
func (f *flusher) eligible(site string) int {
	ok, err := f.domains.Match(site)
	switch {
	case err != nil:
		f.log.Warnf("%v", err)
		return flush.StatFail
	case !ok:
		return flush.StatDeny
	}
	return flush.StatOK
}

// addService appends id to the logfile of site (flush_add_service).
func (f *flusher) addService(site, id string) int {
	if st := f.eligible(site); st != flush.StatOK {
		return st
	}
	path, ok := f.siteToPath(site)
	if !ok {
		return flush.StatDeny
	}
	return f.addPath(path, id)
}

func (f *flusher) addPath(path, id string) int {
	const myname = "flush_add_path"
	if !idOK(path) {
		return flush.StatBad
	}
	fp, err := f.layout.Open(queueFlush, path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		f.log.Fatalf("%s: open fast flush logfile %s: %s", myname, path, queue.Strerror(err))
	}
	if err := queue.LockFile(fp, queue.LockExclusive); err != nil {
		f.log.Fatalf("%s: lock fast flush logfile %s: %s", myname, path, queue.Strerror(err))
	}
	if _, err := fp.WriteString(id + "\n"); err != nil {
		f.log.Warnf("write fast flush logfile %s: %s", path, queue.Strerror(err))
	}
	if err := queue.UnlockFile(fp); err != nil {
		f.log.Fatalf("%s: unlock fast flush logfile %s: %s", myname, path, queue.Strerror(err))
	}
	if err := fp.Close(); err != nil {
		f.log.Warnf("write fast flush logfile %s: %s", path, queue.Strerror(err))
	}
	return flush.StatOK
}

// sendService delivers the mail logged for site (flush_send_service).
func (f *flusher) sendService(site string, how int) int {
	if st := f.eligible(site); st != flush.StatOK {
		return st
	}
	path, ok := f.siteToPath(site)
	if !ok {
		return flush.StatDeny
	}
	return f.sendPath(path, how)
}

// sendPath moves every deferred message listed in flush/path to the
// incoming queue, empties the logfile and wakes up qmgr
// (flush_send_path).
func (f *flusher) sendPath(path string, how int) int {
	const myname = "flush_send_path"
	if !idOK(path) {
		return flush.StatBad
	}
	fp, err := f.layout.Open(queueFlush, path, os.O_RDWR, 0o600)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			f.log.Fatalf("%s: open fast flush logfile %s: %s", myname, path, queue.Strerror(err))
		}
		return flush.StatOK
	}
	if err := queue.LockFile(fp, queue.LockExclusive); err != nil {
		f.log.Fatalf("%s: lock fast flush logfile %s: %s", myname, path, queue.Strerror(err))
	}
	if how&unthrottleBefore != 0 {
		f.trigger(trigger.FlushDead)
	}
	// Every line is handled, duplicates too: Postfix's duplicate filter
	// stores null values, which its lookup cannot tell from a miss, so it
	// never skips one (seen with the real 3.7.11 flush).
	now := f.now()
	count := 0
	rd := bufio.NewReader(fp)
	for ; ; count++ {
		id, ok := readLine(rd)
		if !ok {
			break
		}
		if !idOK(id) {
			f.log.Warnf("bad queue id \"%.30s...\" in fast flush logfile %s", id, path)
			continue
		}
		count += f.oneFile(id, now, how)
	}
	if count > 0 {
		if err := fp.Truncate(0); err != nil {
			f.log.Fatalf("%s: truncate fast flush logfile %s: %s", myname, path, queue.Strerror(err))
		}
	}
	// Mark the logfile as read now, also on file systems mounted noatime.
	os.Chtimes(fp.Name(), now, now)
	if err := queue.UnlockFile(fp); err != nil {
		f.log.Fatalf("%s: unlock fast flush logfile %s: %s", myname, path, queue.Strerror(err))
	}
	if err := fp.Close(); err != nil {
		f.log.Warnf("%s: read fast flush logfile %s: %s", myname, path, queue.Strerror(err))
	}
	if count > 0 {
		f.trigger(trigger.Incoming)
	}
	return flush.StatOK
}

// readLine reads one line without its newline (vstring_get_nonl); a last
// line without a newline counts.
func readLine(rd *bufio.Reader) (string, bool) {
	line, err := rd.ReadString('\n')
	if err != nil && line == "" {
		return "", false
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	return line, true
}

// sendFileService delivers one deferred message (flush_send_file_service).
func (f *flusher) sendFileService(id string) int {
	if !idOK(id) {
		return flush.StatBad
	}
	if f.oneFile(id, f.now(), unthrottleAfter) > 0 {
		f.trigger(trigger.Incoming)
	}
	return flush.StatOK
}

// oneFile schedules queue file id for delivery: its time stamps are set
// to now and it moves from deferred to incoming (another flush process
// may have moved it already). It returns 1 when the file was found
// (flush_one_file).
func (f *flusher) oneFile(id string, now time.Time, how int) int {
	const myname = "flush_one_file"
	q := queueDeferred
	var path string
	for {
		path = f.layout.Path(q, id)
		err := os.Chtimes(f.layout.Abs(path), now, now)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			f.log.Warnf("%s: update %s time stamps: %s", myname, path, queue.Strerror(err))
		}
		if q == queueIncoming {
			return 0
		}
		q = queueIncoming
	}
	if how&unthrottleAfter != 0 {
		var ok bool
		if q, path, ok = f.unthrottle(q, id, path); !ok {
			return 0
		}
	}
	if q != queueIncoming {
		if err := f.layout.Move(id, q, queueIncoming); err != nil && !errors.Is(err, syscall.ENOENT) {
			f.log.Warnf("%s: rename from %s to %s: %s", path, q, queueIncoming, queue.Strerror(err))
		}
	}
	return 1
}

// unthrottle sets the group-read bit of a complete queue file, which asks
// qmgr to unthrottle its destinations. The file is opened without
// following links, as the content is not checked first.
func (f *flusher) unthrottle(q, id, path string) (string, string, bool) {
	const myname = "flush_one_file"
	for {
		fp, st, err := safeOpen(f.layout.Abs(path))
		if err == nil {
			defer fp.Close()
			if !queue.Ready(st.Mode) {
				return q, path, false
			}
			if err := fp.Chmod(fs.FileMode(st.Mode&0o7777|statUnthrottle) & fs.ModePerm); err != nil {
				f.log.Warnf("%s: fchmod %s: %s", myname, path, queue.Strerror(err))
			}
			return q, path, true
		}
		missing := errors.Is(err, syscall.ENOENT)
		if !missing {
			f.log.Warnf("%s: open %s: %v", myname, path, err)
		}
		if !missing || q == queueIncoming {
			return q, path, false
		}
		q = queueIncoming
		path = f.layout.Path(q, id)
	}
}

// refreshService walks the logfiles: a non-empty one not read for maxAge
// is flushed (without unthrottling), an empty one unchanged for
// fast_flush_purge_time is removed (flush_refresh_service).
func (f *flusher) refreshService(maxAge time.Duration) int {
	const myname = "flush_refresh_service"
	scan, err := f.layout.Scan(queueFlush)
	if err != nil {
		f.log.Fatalf("open directory %s: %s", queueFlush, queue.Strerror(err))
	}
	defer scan.Close()
	now := f.now()
	for {
		rel, err := scan.NextFile()
		if err != nil {
			f.log.Fatalf("%v", err)
		}
		if rel == "" {
			break
		}
		name := filepath.Base(rel)
		if !idOK(name) {
			continue
		}
		path := f.layout.Path(queueFlush, name)
		var st syscall.Stat_t
		if err := syscall.Stat(f.layout.Abs(path), &st); err != nil {
			if !errors.Is(err, syscall.ENOENT) {
				f.log.Warnf("%s: stat %s: %s", myname, path, queue.Strerror(err))
			}
			continue
		}
		switch {
		case st.Size == 0:
			if st.Mtim.Sec+int64(f.purge/time.Second) < now.Unix() {
				if err := os.Remove(f.layout.Abs(path)); err != nil {
					f.log.Warnf("remove logfile %s: %s", path, queue.Strerror(err))
				}
			}
		case st.Atim.Sec+int64(maxAge/time.Second) < now.Unix():
			f.sendPath(name, refreshOnly)
		}
	}
	return flush.StatOK
}

// trigger sends a request to qmgr; problems are logged as mail_trigger
// logs them.
func (f *flusher) trigger(req string) {
	err := trigger.Send(".", "public", f.qmgr, req, f.trigTO)
	var w *trigger.Warning
	if errors.As(err, &w) {
		f.log.Warnf("%s", w.Text)
	} else if err != nil {
		f.log.Debugf("public/%s: %s", f.qmgr, queue.Strerror(err))
	}
}
