package showq

import "gopostfix/libglobal/util/attr"

// Writer is the server side: it sends the listing over w.
type Writer struct {
	w      *attr.Writer
	inMesg bool
}

// NewWriter returns a Writer on w.
func NewWriter(w *attr.Writer) *Writer { return &Writer{w: w} }

// Announce sends the protocol greeting.
func (w *Writer) Announce() error {
	return w.w.Print(attr.Str(attr.AttrProtocol, attr.ProtoShowq))
}

// Message starts the entry of one queue file. The record stays open for
// its recipients until EndMessage.
func (w *Writer) Message(m Message) error {
	expire := 0
	if m.ForcedExpire {
		expire = 1
	}
	w.inMesg = true
	return w.w.PrintMore(attr.Str(AttrQueue, m.Queue), attr.Str(AttrQueueID, m.ID),
		attr.Long(AttrTime, m.Arrival), attr.Long(AttrSize, m.Size),
		attr.Int(AttrForcedExpire, expire), attr.Str(AttrSender, m.Sender))
}

// Recipient adds one recipient to the open entry.
func (w *Writer) Recipient(r Recipient) error {
	return w.w.PrintMore(attr.Str(AttrRecipient, r.Address), attr.Str(AttrReason, r.Reason))
}

// EndMessage closes the open entry, if any.
func (w *Writer) EndMessage() error {
	if !w.inMesg {
		return nil
	}
	w.inMesg = false
	return w.w.Print()
}

// End sends the empty record that ends the listing.
func (w *Writer) End() error {
	if err := w.EndMessage(); err != nil {
		return err
	}
	return w.w.Print()
}

// Flush sends what is buffered (after every queue file, as showq does).
func (w *Writer) Flush() error { return w.w.Flush() }
