// Package trigger sends wakeup requests to trigger servers (pickup, qmgr,
// flush), as Postfix's mail_trigger(3), unix_trigger(3) and
// fifo_trigger(3) do: over a UNIX socket the request bytes are followed
// by one NUL byte and the client waits (bounded) for the server to close;
// over a FIFO the bytes are written as they are.
package trigger

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Requests understood by qmgr and pickup.
const (
	Wakeup    = "W"
	Incoming  = "I"
	Deferred  = "D"
	ScanAll   = "A"
	FlushDead = "F"
)

// Warning is an error Postfix reports as a warning of its own ("unable to
// look up ..."); other errors (connection refused) are reported only by
// the caller's summary.
type Warning struct{ Text string }

func (w *Warning) Error() string { return w.Text }

// Send writes request to queueDir/class/service, choosing the method by
// the file type. Errors carry Postfix's warning texts.
func Send(queueDir, class, service, request string, timeout time.Duration) error {
	rel := class + "/" + service
	path := filepath.Join(queueDir, class, service)
	fi, err := os.Stat(path)
	if err != nil {
		return &Warning{fmt.Sprintf("unable to look up %s: %s", rel, dict.ErrnoText(err))}
	}
	switch {
	case fi.Mode()&os.ModeNamedPipe != 0:
		return fifo(path, request)
	case fi.Mode()&os.ModeSocket != 0:
		return Unix(path, request, timeout)
	}
	return &Warning{rel + " is not a socket or a fifo"}
}

// Unix sends request plus a NUL byte and waits up to timeout for the
// server to close the connection.
func Unix(path, request string, timeout time.Duration) error {
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(append([]byte(request), 0)); err != nil {
		return err
	}
	c.Read(make([]byte, 1))
	return nil
}

func fifo(path, request string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write([]byte(request))
	return err
}
