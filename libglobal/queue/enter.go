package queue

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/util/msg"
)

// Entry is a new queue file, open for writing.
type Entry struct {
	File  *os.File
	Queue string
	ID    string
	Path  string    // queue-relative path
	Time  time.Time // time of the ID; the T record of postdrop uses its own clock
}

// enterAttempts bounds the renames of mail_queue_enter.
const enterAttempts = 1000

// Enter creates a queue file with a name derived from the time and its
// inode number (mail_queue_enter): it is first created as
// "queue/<usec>.<pid>" with mode perm (the caller leaves out owner
// execute until the file is complete), then renamed to its queue ID.
// now is the clock (time.Now in programs).
func (l *Layout) Enter(log *msg.Logger, queue string, perm fs.FileMode, now func() time.Time) (*Entry, error) {
	pid := os.Getpid()
	var f *os.File
	var temp string
	for {
		t := now()
		temp = fmt.Sprintf("%s/%d.%d", queue, t.Nanosecond()/1000, pid)
		var err error
		f, err = createFile(l.Abs(temp), perm)
		if err == nil {
			break
		}
		if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.EISDIR) {
			continue
		}
		log.Warnf("mail_queue_enter: create file %s: %s", temp, Strerror(err))
		time.Sleep(10 * time.Second)
	}
	var st syscall.Stat_t
	if err := fstat(f, &st); err != nil {
		f.Close()
		return nil, fmt.Errorf("fstat: %s", Strerror(err))
	}
	for count := 0; ; count++ {
		t := now()
		var id string
		if l.LongIDs {
			id = LongID(t.Unix(), int64(t.Nanosecond()/1000), st.Ino)
		} else {
			id = ShortID(int64(t.Nanosecond()/1000), st.Ino)
		}
		path := l.Path(queue, id)
		_, err := Rename(l.Abs(temp), l.Abs(path))
		if err == nil {
			return &Entry{File: f, Queue: queue, ID: id, Path: path, Time: t}, nil
		}
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EISDIR) {
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) || Mkdirs(l.Abs(path)) != nil {
			log.Warnf("mail_queue_enter: rename %s to %s: %s", temp, path, Strerror(err))
		}
		if count > enterAttempts {
			f.Close()
			return nil, fmt.Errorf("mail_queue_enter: rename %s to %s: giving up", temp, path)
		}
	}
}

// createFile is os.OpenFile(path, O_RDWR|O_CREATE|O_EXCL, perm) in one
// open(2): os.OpenFile offers every new file to the runtime poller (two
// fcntl(2) and an epoll_ctl(2) that fails for a regular file, then two
// more fcntl(2) to make it blocking again). The file is blocking and
// close-on-exec as with os.OpenFile.
func createFile(path string, perm fs.FileMode) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err == nil {
			return os.NewFile(uintptr(fd), path), nil
		}
		if err != syscall.EINTR {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
	}
}

// fstat is syscall.Fstat on f without f.Fd(), which would put the
// descriptor through fcntl(2) again.
func fstat(f *os.File, st *syscall.Stat_t) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.Fstat(int(fd), st) }); err != nil {
		return err
	}
	return serr
}
