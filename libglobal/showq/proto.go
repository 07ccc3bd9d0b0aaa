package showq

import "errors"

// Attribute names of the showq stream (mail_proto.h).
const (
	AttrQueue        = "queue_name"
	AttrQueueID      = "queue_id"
	AttrTime         = "time"
	AttrSize         = "size"
	AttrForcedExpire = "forced_expire"
	AttrSender       = "sender"
	AttrRecipient    = "recipient"
	AttrReason       = "reason"
)

// Message is the head of one queue file's entry in the listing.
type Message struct {
	Queue        string // "maildrop", "active", "incoming", "deferred", "hold"
	ID           string
	Arrival      int64 // seconds since the epoch
	Size         int64 // message size (or the file size)
	ForcedExpire bool  // group-execute bit: postsuper -e / -f
	Sender       string
}

// Recipient is one recipient of a listed message; Reason is empty unless
// a defer logfile said why delivery was delayed.
type Recipient struct {
	Address string
	Reason  string
}

// ErrMalformed is every protocol violation a client sees; postqueue dies
// with exactly this text.
var ErrMalformed = errors.New("malformed showq server response")
