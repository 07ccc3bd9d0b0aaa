package mailstream

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// Status bits of a submission: cleanup's (cleanup_user.h CLEANUP_STAT_*),
// which the mail streams report too.
const (
	StatOK     = cleanup.StatOK
	StatBad    = cleanup.StatBad
	StatWrite  = cleanup.StatWrite
	StatSize   = cleanup.StatSize
	StatCont   = cleanup.StatCont
	StatHops   = cleanup.StatHops
	StatRcpt   = cleanup.StatRcpt
	StatProxy  = cleanup.StatProxy
	StatDefer  = cleanup.StatDefer
	StatNoPerm = cleanup.StatNoPerm
)

// StatusText describes a status the way cleanup_strerror does.
func StatusText(status int) string { return cleanup.Strerror(status) }

// File is a queue file being written (mail_stream_file).
type File struct {
	*queue.Entry
	W       *record.Writer
	buf     *bufio.Writer
	mode    fs.FileMode
	class   string // endpoint woken up when done: class/service
	service string
}

// OpenFile creates a queue file in queueName with mode 0600|mode while it
// is written; Finish adds owner execute. class and service name the
// endpoint to wake up afterwards ("" for none).
func OpenFile(l *queue.Layout, log *msg.Logger, queueName string, mode fs.FileMode, class, service string) (*File, error) {
	e, err := l.Enter(log, queueName, 0600|mode, time.Now)
	if err != nil {
		return nil, err
	}
	log.Debugf("open %s", e.Path)
	bw := bufio.NewWriter(e.File)
	return &File{Entry: e, W: record.NewWriter(bw, 0), buf: bw, mode: mode, class: class, service: service}, nil
}

// Finish completes the file: flush, time stamps set to now, mode
// 0700|mode, fsync, close, then the wakeup (mail_stream_finish_file).
// The returned status is StatOK, StatWrite or StatSize.
func (f *File) Finish(l *queue.Layout, log *msg.Logger, triggerTimeout time.Duration) (int, error) {
	fd := int(f.File.Fd())
	err := f.W.Err()
	if err == nil {
		err = f.buf.Flush()
	}
	if err == nil {
		now := syscall.NsecToTimeval(time.Now().UnixNano())
		err = syscall.Futimes(fd, []syscall.Timeval{now, now})
	}
	if err == nil {
		err = f.File.Chmod(0700 | f.mode)
	}
	if err == nil {
		err = f.File.Sync()
	}
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, syscall.EFBIG) {
			return StatSize, err
		}
		return StatWrite, err
	}
	if f.class != "" && f.service != "" {
		Trigger(l, log, f.class, f.service, []byte{TriggerWakeup}, triggerTimeout)
	}
	return StatOK, nil
}

// Close abandons the file without completing it (mail_stream_cleanup):
// what was written is flushed, and the incomplete file stays behind
// unless the caller removes it.
func (f *File) Close() {
	f.buf.Flush()
	f.File.Close()
}

// Remove deletes the file.
func (f *File) Remove(l *queue.Layout) error {
	return os.Remove(l.Abs(f.Path))
}
