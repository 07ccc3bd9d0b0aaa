package attr

import "errors"

// Classes of Scan errors, for errors.Is.
var (
	ErrMissing    = errors.New("missing attribute")
	ErrExtra      = errors.New("unexpected attribute")
	ErrDuplicate  = errors.New("duplicate attribute")
	ErrLimit      = errors.New("attribute count exceeds limit")
	ErrMalformed  = errors.New("malformed input")
	ErrMismatch   = errors.New("unexpected attribute value")
	ErrIO         = errors.New("premature end-of-input or I/O error")
	ErrTimeout    = errors.New("timeout")
	errBadFdRecvd = errors.New("no descriptor received")
)

// Error is a Scan failure. Its text is the warning Postfix logs for the
// same condition.
type Error struct {
	Class error  // one of the Err* values above
	Text  string // Postfix's warning text, without "warning: "
	Err   error  // the underlying I/O error, if any
}

func (e *Error) Error() string { return e.Text }

// Is reports whether target is e's class.
func (e *Error) Is(target error) bool { return target == e.Class }

// Unwrap returns the underlying I/O error.
func (e *Error) Unwrap() error { return e.Err }
