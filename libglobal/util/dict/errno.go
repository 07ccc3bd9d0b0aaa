package dict

import (
	"errors"
	"syscall"

	"gopostfix/libglobal/util/syserr"
)

// IsNotExist reports whether err means ENOENT.
func IsNotExist(err error) bool { return errors.Is(err, syscall.ENOENT) }

// ErrnoText renders an error the way Postfix's %m renders errno: the
// strerror text only, without Go's "open FILE:" decorations
// (syserr.Text).
func ErrnoText(err error) string { return syserr.Text(err) }

// ErrnoOf returns the errno text of the system error inside err, or
// "Application error" when there is none: what Postfix's "%m" prints
// after a table failure (it says "Application error" for errno 0).
func ErrnoOf(err error) string { return syserr.Of(err) }
