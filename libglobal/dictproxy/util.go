package dictproxy

import (
	"errors"
	"io"
	"syscall"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

// quiet reports a server that is not there or went away.
func quiet(err error) bool {
	return err == nil || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, attr.ErrIO)
}

// errText is the %m of a warning.
func errText(err error) string {
	if err == nil {
		return "Success"
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return dict.ErrnoText(en)
	}
	return err.Error()
}
