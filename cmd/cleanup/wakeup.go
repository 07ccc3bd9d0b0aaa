package main

import (
	"path/filepath"
	"time"

	"gopostfix/libglobal/trigger"
	"gopostfix/libglobal/util/fdconn"
)

// wakeQmgr tells the queue manager about the new file (mail_trigger
// after mail_stream_finish) the way unix_trigger does: connect, write
// the request and its NUL byte, and leave the wait for the server's
// hang-up to the background, so that the reply to the client does not
// wait for the queue manager. A FIFO, or a socket that cannot be
// reached, goes through trigger.Send with Postfix's warnings.
func (d *daemon) wakeQmgr() error {
	c, err := fdconn.DialUnix(filepath.Join(d.queueDir, "public", d.qmgr), d.trigTime)
	if err != nil {
		return trigger.Send(d.queueDir, "public", d.qmgr, trigger.Wakeup, d.trigTime)
	}
	c.SetDeadline(time.Now().Add(d.trigTime))
	if _, err := c.Write([]byte(trigger.Wakeup + "\x00")); err != nil {
		c.Close()
		return nil // unix_trigger only complains in verbose mode
	}
	go func() {
		c.Read(make([]byte, 1))
		c.Close()
	}()
	return nil
}
