package deliver

import (
	"errors"
	"fmt"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
)

// ErrMalformed is a reply that does not follow the protocol.
var ErrMalformed = errors.New("malformed response")

// ReadInitial reads an agent's announcement (qmgr_deliver_initial_reply).
func ReadInitial(c *attr.Conn) error {
	if err := c.ReadAnnouncement(attr.ProtoDelivery); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}

// WriteRequest sends a request: the common record, then one record per
// recipient, flushed (qmgr_deliver_send_request).
func WriteRequest(c *attr.Conn, req *Request) error {
	if err := c.W.Print(req.commonAttrs()...); err != nil {
		return err
	}
	for _, r := range req.Rcpts {
		if err := c.W.Print(r.Attrs()...); err != nil {
			return err
		}
	}
	return nil
}

// ReadReply reads the agent's final answer: the hop status and the
// request status (qmgr_deliver_final_reply).
func ReadReply(c *attr.Conn) (dsn.DSN, int, error) {
	var hop dsn.DSN
	var stat int
	n, err := c.Scan(attr.Strict, append(hop.Targets(), attr.RecvInt(AttrStatus, &stat))...)
	if n != 8 {
		if err == nil {
			err = ErrMalformed
		}
		return hop, 0, err
	}
	return hop, stat, nil
}
