package syserr

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

// glibcOnly holds the errno values whose glibc text is not Go's text with
// a capital first letter: Go names unassigned numbers "errno N".
var glibcOnly = map[syscall.Errno]string{
	0:   "Success",
	133: "Memory page has hardware error",
}

// lastKnown is the highest errno glibc has a text for on Linux.
const lastKnown = 133

// Errno returns glibc's strerror text for e.
func Errno(e syscall.Errno) string {
	if t, ok := glibcOnly[e]; ok {
		return t
	}
	if e > lastKnown {
		return "Unknown error " + strconv.Itoa(int(e))
	}
	t := e.Error()
	if len(t) >= 6 && t[:6] == "errno " {
		return "Unknown error " + strconv.Itoa(int(e))
	}
	return capital(t)
}

// capital upper-cases the first letter of Go's lower-case errno text.
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// Text renders err as Postfix's "%m" would: an errno inside Go's
// *fs.PathError, *os.LinkError or *os.SyscallError wrappers becomes its
// strerror text; any other error is printed as it is.
func Text(err error) string {
	err = Unwrap(err)
	if err == nil {
		return ""
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return Errno(errno)
	}
	return err.Error()
}

// Unwrap strips Go's path and system-call wrappers from err, leaving the
// error they carry.
func Unwrap(err error) error {
	for {
		var (
			pe *fs.PathError
			le *os.LinkError
			se *os.SyscallError
		)
		switch {
		case errors.As(err, &pe) && error(pe) == err:
			err = pe.Err
		case errors.As(err, &le) && error(le) == err:
			err = le.Err
		case errors.As(err, &se) && error(se) == err:
			err = se.Err
		default:
			return err
		}
	}
}

// Of returns the strerror text of the errno somewhere inside err, or
// glibc's text for errno 0 replaced by "Application error": what Postfix
// prints for "%m" after a failure that set no errno.
func Of(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) && errno != 0 {
		return Errno(errno)
	}
	return "Application error"
}
