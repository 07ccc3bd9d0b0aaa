package showq

import (
	"gopostfix/libglobal/util/attr"
)

// Reader is the client side: it reads a listing from r, one message and
// then its recipients at a time, so that output can follow the stream.
// Every protocol error is ErrMalformed.
type Reader struct {
	r *attr.Reader
}

// recvFlags are those of postqueue's scans: strict, stop inside the
// record, non-printable bytes replaced with '?'.
const recvFlags = attr.More | attr.Strict | attr.Printable

// NewReader returns a Reader on r. r.UTF8 decides whether valid UTF-8
// survives the printable filter (smtputf8_enable).
func NewReader(r *attr.Reader) *Reader { return &Reader{r: r} }

// ReadAnnouncement checks the server greeting.
func (r *Reader) ReadAnnouncement() error {
	if _, err := r.r.Scan(attr.Strict, attr.Expect(attr.AttrProtocol, attr.ProtoShowq)); err != nil {
		return ErrMalformed
	}
	return nil
}

// NextMessage reads the head of the next entry; ok is false after the
// record that ends the listing.
func (r *Reader) NextMessage() (m Message, ok bool, err error) {
	more, err := r.r.ScanMore()
	if err != nil {
		return m, false, ErrMalformed
	}
	if !more {
		return m, false, nil
	}
	expire := 0
	n, err := r.r.Scan(recvFlags, attr.RecvStr(AttrQueue, &m.Queue),
		attr.RecvStr(AttrQueueID, &m.ID), attr.RecvLong(AttrTime, &m.Arrival),
		attr.RecvLong(AttrSize, &m.Size), attr.RecvInt(AttrForcedExpire, &expire),
		attr.RecvStr(AttrSender, &m.Sender))
	if err != nil || n != 6 {
		return m, false, ErrMalformed
	}
	m.ForcedExpire = expire != 0
	return m, true, nil
}

// NextRecipient reads the next recipient of the current entry; ok is
// false after the terminator that ends the entry.
func (r *Reader) NextRecipient() (rc Recipient, ok bool, err error) {
	more, err := r.r.ScanMore()
	if err != nil {
		return rc, false, ErrMalformed
	}
	if !more {
		return rc, false, nil
	}
	n, err := r.r.Scan(recvFlags, attr.RecvStr(AttrRecipient, &rc.Address), attr.RecvStr(AttrReason, &rc.Reason))
	if err != nil || n != 2 {
		return rc, false, ErrMalformed
	}
	return rc, true, nil
}
