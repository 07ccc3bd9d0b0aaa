package mailstream

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// Status bits of a submission (cleanup_user.h CLEANUP_STAT_*).
const (
	StatOK     = 0
	StatBad    = 1 << 0 // internal protocol error
	StatWrite  = 1 << 1 // error writing the queue file
	StatSize   = 1 << 2 // message file too big
	StatCont   = 1 << 3 // content rejected
	StatHops   = 1 << 4 // too many hops
	StatRcpt   = 1 << 6 // no recipients
	StatProxy  = 1 << 7 // proxy reject
	StatDefer  = 1 << 8 // temporary reject
	StatNoPerm = 1 << 9 // denied by policy
)

// statusText is cleanup_strerror, in its order of precedence.
var statusText = []struct {
	bit  int
	text string
}{
	{StatDefer, "service unavailable"},
	{StatProxy, "queue file write error"},
	{StatBad, "internal protocol error"},
	{StatRcpt, "no recipients specified"},
	{StatHops, "too many hops"},
	{StatSize, "message file too big"},
	{StatCont, "message content rejected"},
	{StatWrite, "queue file write error"},
	{StatNoPerm, "service denied"},
}

// StatusText describes a status the way cleanup_strerror does.
func StatusText(status int) string {
	if status == StatOK {
		return "Success"
	}
	for _, s := range statusText {
		if status&s.bit != 0 {
			return s.text
		}
	}
	return "unknown status"
}

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
