package dict

import (
	"errors"
	"fmt"

	"gopostfix/libglobal/util/msg"
)

// ErrKind classifies a failed table operation as Postfix's dict->error
// does. The values are DICT_ERR_NONE, DICT_ERR_RETRY and DICT_ERR_CONFIG.
type ErrKind int

const (
	KindNone   ErrKind = 0  // no error (not found, or a conflict)
	KindRetry  ErrKind = -1 // temporarily unavailable: try again later
	KindConfig ErrKind = -2 // misconfigured or unusable table
	// KindFatal marks failures that Postfix reports with msg_fatal from
	// inside the table code (I/O errors on an open file, a damaged
	// file, a proxymap that refuses the table): the message is complete
	// and the program should stop. Registry.Open returns them even when
	// AllowSurrogate is set, as dict_open dies whatever
	// dict_allow_surrogate says.
	KindFatal ErrKind = -3
)

func (k ErrKind) String() string {
	switch k {
	case KindNone:
		return "none"
	case KindRetry:
		return "retry"
	case KindConfig:
		return "config"
	case KindFatal:
		return "fatal"
	}
	return fmt.Sprintf("ErrKind(%d)", int(k))
}

// Error is a table operation failure. Its text is the message Postfix
// would log; Kind says whether a retry might help.
type Error struct {
	Kind ErrKind
	Msg  string
	Err  error // underlying cause, if any
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Retryf returns a KindRetry error with a formatted message.
func Retryf(format string, args ...any) error {
	return &Error{Kind: KindRetry, Msg: fmt.Sprintf(format, args...)}
}

// Configf returns a KindConfig error with a formatted message.
func Configf(format string, args ...any) error {
	return &Error{Kind: KindConfig, Msg: fmt.Sprintf(format, args...)}
}

// Fatalf returns a KindFatal error with a formatted message.
func Fatalf(format string, args ...any) error {
	return &Error{Kind: KindFatal, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of the given kind, "msg: cause", that unwraps to
// cause (KindRetry for the I/O failures that Postfix retries, KindFatal
// for those it reports with msg_fatal).
func Wrap(kind ErrKind, cause error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...) + ": " + ErrnoText(cause), Err: cause}
}

// KindOf returns the kind of err: KindNone for nil, the Kind of an *Error,
// and KindRetry for any other error.
func KindOf(err error) ErrKind {
	if err == nil {
		return KindNone
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindRetry
}

// Fatal returns the *Error of kind KindFatal that err holds, however
// much context callers wrapped around it, or nil when err is not fatal.
// Its Msg is the whole text Postfix logs after "fatal: ".
func Fatal(err error) *Error {
	var e *Error
	if errors.As(err, &e) && e.Kind == KindFatal {
		return e
	}
	return nil
}

// ExitIfFatal ends the process through log with Postfix's text when err
// is fatal (see Fatal), and returns otherwise. A daemon that opens tables
// with Registry.AllowSurrogate calls it on the errors of its opens: those
// are the failures Postfix's dict_open turns into msg_fatal.
func ExitIfFatal(log *msg.Logger, err error) {
	if e := Fatal(err); e != nil {
		log.Fatalf("%s", e.Msg)
	}
}

// UnsupportedError is returned by operations a type does not implement.
type UnsupportedError struct {
	Op, Type, Name string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("table %s:%s: %s operation is not supported", e.Type, e.Name, e.Op)
}

// ErrUnsupported matches every *UnsupportedError with errors.Is.
var ErrUnsupported = errors.New("operation is not supported")

func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }
