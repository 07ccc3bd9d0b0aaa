package dict

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// isPathOrSyscallError reports whether err is one of the wrappers Go puts
// around an errno (*fs.PathError, *os.LinkError, *os.SyscallError).
func isPathOrSyscallError(err error) bool {
	var (
		pe *fs.PathError
		le *os.LinkError
		se *os.SyscallError
	)
	switch {
	case errors.As(err, &pe) && error(pe) == err:
		return true
	case errors.As(err, &le) && error(le) == err:
		return true
	case errors.As(err, &se) && error(se) == err:
		return true
	}
	return false
}

// capitalErrno turns Go's lower-case errno text into glibc's strerror
// text ("no such file or directory" -> "No such file or directory").
func capitalErrno(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// IsNotExist reports whether err means ENOENT.
func IsNotExist(err error) bool { return errors.Is(err, syscall.ENOENT) }
