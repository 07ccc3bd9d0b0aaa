package mbox

import (
	"errors"
	"syscall"

	"gopostfix/libglobal/dsn"
)

// Error is a failed mailbox operation, with the delivery status Postfix
// reports for it (a DSN_BUF).
type Error struct {
	Status   string // enhanced status code, "4.2.0"
	DiagType string // "x-unix" when a system error detail is given
	DiagText string
	Reason   string
	Errno    syscall.Errno // the system error behind it, 0 if none
}

func (e *Error) Error() string { return e.Reason }

// DSN returns the status as a delivery status record; a nil Error gives
// Postfix's stand-in for a failure without detail.
func (e *Error) DSN() dsn.DSN {
	if e == nil {
		return dsn.Simple("5.3.0", "unknown error")
	}
	return dsn.DSN{Status: e.Status, DType: e.DiagType, DText: e.DiagText, Reason: e.Reason}
}

// StatusFor maps a system error to the status detail of a mailbox
// problem (mbox_dsn): try again later, system full, mailbox full, or
// def.
func StatusFor(err error, def string) string {
	var en syscall.Errno
	errors.As(err, &en)
	switch en {
	case syscall.EAGAIN, syscall.ESTALE:
		return "4.2.0"
	case syscall.ENOSPC:
		return "4.3.0"
	case syscall.EDQUOT, syscall.EFBIG:
		return "5.2.2"
	}
	return def
}

// errnoOf returns the errno inside err, or EIO.
func errnoOf(err error) syscall.Errno {
	var en syscall.Errno
	if errors.As(err, &en) {
		return en
	}
	return syscall.EIO
}
