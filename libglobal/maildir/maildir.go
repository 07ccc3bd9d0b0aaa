// Package maildir delivers a message into a Maildir the way Postfix's
// local(8) does (src/local/maildir.c): the message is written to
// "tmp/SECONDS.PPID.HOST", hard-linked to
// "new/SECONDS.VdevIinodeMmicroseconds.HOST" (dev and inode of the tmp
// file in lower-case hex, HOST the system hostname) and the tmp name is
// removed. Missing tmp/, new/ and cur/ directories are made (mode 0700).
// The file gets Return-Path:, X-Original-To: and (optionally)
// Delivered-To: but no "From " line and no trailing blank line.
//
// The caller runs this with the recipient's privileges.
package maildir

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/dict"
)

// Delivery describes one Maildir delivery.
type Delivery struct {
	Dir      string    // the Maildir, ending in "/"
	Start    time.Time // delivery start (names the files)
	Hostname string    // the system hostname (gethostname)
	PID      int
	// Copy says what to write; its Flags are replaced by
	// CopyToFile|CopyReturnPath|CopyOrigRcpt, plus CopyDelivered when
	// Delivered is set.
	Copy      mbox.CopyArgs
	Delivered bool
	// Status is the status of a file that cannot be made, unless the
	// system error says otherwise: "5.2.0" when empty (local(8)),
	// virtual(8) uses "4.2.0".
	Status string
	// Warn logs warnings.
	Warn func(format string, args ...any)
}

// Deliver writes the message. It returns mbox.Copy's status mask (0 on
// success) and, on failure, the reason (without the "maildir delivery
// failed: " prefix local(8) adds).
func Deliver(d Delivery) (int, *mbox.Error) {
	tmpDir, newDir, curDir := d.Dir+"tmp/", d.Dir+"new/", d.Dir+"cur/"
	tmpFile := fmt.Sprintf("%s%d.P%d.%s", tmpDir, d.Start.Unix(), d.PID, d.Hostname)
	open := func() (*os.File, error) {
		return os.OpenFile(tmpFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0600)
	}
	dst, err := open()
	if err != nil && errno(err) == syscall.ENOENT {
		if err = makeDirs(tmpDir); err == nil {
			dst, err = open()
		}
	}
	if err != nil {
		return mbox.StatWrite, createError(tmpFile, err, d.Status)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(dst.Fd()), &st); err != nil {
		dst.Close()
		return mbox.StatWrite, createError(tmpFile, err, d.Status)
	}
	newFile := fmt.Sprintf("%s%d.V%xI%xM%d.%s", newDir, d.Start.Unix(), st.Dev, st.Ino,
		d.Start.Nanosecond()/1000, d.Hostname)
	a := d.Copy
	a.Flags = mbox.CopyToFile | mbox.CopyReturnPath | mbox.CopyOrigRcpt
	if d.Delivered {
		a.Flags |= mbox.CopyDelivered
	}
	stat, why := mbox.Copy(a, dst)
	if stat == 0 {
		err := os.Link(tmpFile, newFile)
		if err != nil && errno(err) == syscall.ENOENT {
			makeDirs(curDir)
			if err = makeDirs(newDir); err == nil {
				err = os.Link(tmpFile, newFile)
			}
		}
		if err != nil {
			stat, why = mbox.StatWrite, createError(newFile, err, d.Status)
		}
	}
	if err := os.Remove(tmpFile); err != nil && d.Warn != nil {
		d.Warn("remove %s: %s", tmpFile, dict.ErrnoText(err))
	}
	return stat, why
}

func createError(path string, err error, def string) *mbox.Error {
	if def == "" {
		def = "5.2.0"
	}
	return &mbox.Error{Status: mbox.StatusFor(err, def),
		Reason: fmt.Sprintf("create maildir file %s: %s", path, dict.ErrnoText(err)), Errno: errno(err)}
}

// makeDirs creates a directory and its missing parents, mode 0700.
func makeDirs(dir string) error {
	return os.MkdirAll(dir, 0700)
}

func errno(err error) syscall.Errno {
	var en syscall.Errno
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	if le, ok := err.(*os.LinkError); ok {
		err = le.Err
	}
	en, _ = err.(syscall.Errno)
	return en
}
