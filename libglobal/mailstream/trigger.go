package mailstream

import (
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
)

// Trigger requests (triggers.h).
const (
	TriggerWakeup    = 'W' // wake up
	TriggerScanIn    = 'I' // qmgr: scan incoming
	TriggerScanDefer = 'D' // qmgr: scan deferred
	TriggerScanAll   = 'A' // qmgr: ignore time stamps
	TriggerFlushDead = 'F' // qmgr: forget dead destinations
)

// Trigger sends req to the endpoint class/service below the queue
// directory (mail_trigger): to a FIFO as is, to a UNIX socket followed by
// a NUL byte. Failures are only warned about, as Postfix does.
func Trigger(l *queue.Layout, log *msg.Logger, class, service string, req []byte, timeout time.Duration) bool {
	path := class + "/" + service
	var st syscall.Stat_t
	if err := syscall.Stat(l.Abs(path), &st); err != nil {
		log.Warnf("unable to look up %s: %s", path, queue.Strerror(err))
		return false
	}
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFIFO:
		return fifoTrigger(l.Abs(path), log, req)
	case syscall.S_IFSOCK:
		return unixTrigger(l.Abs(path), log, req, timeout)
	}
	log.Warnf("%s is not a socket or a fifo", path)
	return false
}

func fifoTrigger(path string, log *msg.Logger, req []byte) bool {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		log.Debugf("fifo_trigger: open %s: %s", path, queue.Strerror(err))
		return false
	}
	defer f.Close()
	if _, err := f.Write(req); err != nil {
		log.Debugf("fifo_trigger: write %s: %s", path, queue.Strerror(err))
	}
	return true
}

func unixTrigger(path string, log *msg.Logger, req []byte, timeout time.Duration) bool {
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		log.Debugf("unix_trigger: connect to %s: %s", path, queue.Strerror(err))
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(append(append([]byte{}, req...), 0)); err != nil {
		log.Debugf("unix_trigger: write to %s: %s", path, queue.Strerror(err))
	}
	return true
}
