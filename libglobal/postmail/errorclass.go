package postmail

import "gopostfix/libglobal/util/namemask"

// Error classes (mail_error.h MAIL_ERROR_*): a daemon marks the classes
// of the errors it meets, and notify_classes chooses those that earn the
// postmaster a notice.
const (
	ErrPolicy   = 1 << 0
	ErrProtocol = 1 << 1
	ErrBounce   = 1 << 2
	ErrSoftware = 1 << 3
	ErrResource = 1 << 4
	Err2Bounce  = 1 << 5
	ErrDelay    = 1 << 6
	ErrData     = 1 << 7
)

// ErrorClassNames are the class names of notify_classes
// (mail_error_masks), for namemask.Parse.
var ErrorClassNames = []namemask.Name{
	{Name: "bounce", Mask: ErrBounce}, {Name: "2bounce", Mask: Err2Bounce}, {Name: "data", Mask: ErrData},
	{Name: "delay", Mask: ErrDelay}, {Name: "policy", Mask: ErrPolicy}, {Name: "protocol", Mask: ErrProtocol},
	{Name: "resource", Mask: ErrResource}, {Name: "software", Mask: ErrSoftware},
}
