package maillog

import (
	"fmt"
	"os"
	"syscall"

	"gopostfix/libglobal/util/dict"
)

// OpenLogFile opens maillog_file for appending the careful way
// logwriter_open_or_die does (safe_open(3)): an existing file must be a
// single-link regular file reached without a non-root symbolic link; a
// missing one is created exclusively, mode 0644. The error reads as
// Postfix's fatal message: "open logfile 'PATH': why".
func OpenLogFile(path string) (*os.File, error) {
	f, why := openExisting(path)
	if f == nil && why == "" {
		f, why = createNew(path)
		if f == nil && why == "" {
			f, why = openExisting(path)
		}
	}
	if f == nil {
		return nil, fmt.Errorf("open logfile '%s': %s", path, why)
	}
	syscall.CloseOnExec(int(f.Fd()))
	return f, nil
}

const appendFlags = os.O_WRONLY | os.O_APPEND | syscall.O_NONBLOCK

// openExisting returns the open file, or a reason; nil and "" mean the
// file does not exist.
func openExisting(path string) (*os.File, string) {
	f, err := os.OpenFile(path, appendFlags, 0)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, ""
		}
		return nil, "cannot open file: " + dict.ErrnoText(err)
	}
	var st, lst syscall.Stat_t
	why := ""
	switch {
	case syscall.Fstat(int(f.Fd()), &st) != nil:
		why = "cannot fstat file"
	case st.Nlink != 1:
		why = fmt.Sprintf("file has %d hard links", st.Nlink)
	case st.Mode&syscall.S_IFMT == syscall.S_IFDIR:
		why = "file is a directory"
	case syscall.Lstat(path, &lst) != nil:
		why = "file status changed unexpectedly"
	case lst.Mode&syscall.S_IFMT == syscall.S_IFLNK:
		if lst.Uid == 0 && trustedParent(path) {
			return f, ""
		}
		why = "file is a symbolic link"
	case st.Dev != lst.Dev || st.Ino != lst.Ino || st.Nlink != lst.Nlink || st.Mode != lst.Mode:
		why = "file status changed unexpectedly"
	default:
		return f, ""
	}
	f.Close()
	return nil, why
}

// trustedParent: a root-owned symlink is followed only in a directory
// that only root can write.
func trustedParent(path string) bool {
	dir := "."
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '/' {
			dir = path[:i]
			break
		}
	}
	if len(path) > 0 && path[0] == '/' && dir == "." {
		dir = "/"
	}
	var st syscall.Stat_t
	return syscall.Stat(dir, &st) == nil && st.Uid == 0 && st.Mode&0o022 == 0
}

// createNew creates the file exclusively; nil and "" mean it appeared
// in the meantime.
func createNew(path string) (*os.File, string) {
	f, err := os.OpenFile(path, appendFlags|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return nil, ""
		}
		return nil, "cannot create file exclusively: " + dict.ErrnoText(err)
	}
	return f, ""
}

// WriteLine appends one record and a newline with a single write.
func WriteLine(f *os.File, line string) error {
	_, err := f.Write([]byte(line + "\n"))
	return err
}

// AppendLine opens path, appends one record and closes it
// (logwriter_one_shot). Failing to open is an *OpenError, which the
// caller reports as is; a failed write is a plain error.
func AppendLine(path, line string) error {
	f, err := OpenLogFile(path)
	if err != nil {
		return &OpenError{err}
	}
	werr := WriteLine(f, line)
	if err := f.Close(); werr == nil {
		werr = err
	}
	return werr
}

// OpenError is a log file that could not be opened.
type OpenError struct{ Err error }

func (e *OpenError) Error() string { return e.Err.Error() }
