package smtpclient

import (
	"fmt"
	"io"
	"os"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
	"gopostfix/tests/internal/instance"
)

// heldMessage is what a delivery request needs from a queue file.
type heldMessage struct {
	id, sender          string
	dataOffset, dataLen int64
	rcpt                deliver.Recipient
}

// readHeld reads the envelope of a message in the hold queue.
func readHeld(in *instance.Instance, id string) (heldMessage, error) {
	m := heldMessage{id: id}
	f, err := os.Open(in.Path("queue/hold/" + id))
	if err != nil {
		return m, err
	}
	defer f.Close()
	r := record.NewReader(f, id, 0, 0)
	for {
		rec, err := r.Next()
		if err == io.EOF || rec.Type == record.Mesg {
			break
		}
		if err != nil {
			return m, err
		}
		switch rec.Type {
		case record.Size:
			var size, off, rcpts, flags, length int64
			record.ScanLongs(string(rec.Data), &size, &off, &rcpts, &flags, &length)
			m.dataOffset, m.dataLen = off, length
		case record.From:
			m.sender = string(rec.Data)
		case record.Rcpt:
			m.rcpt = deliver.Recipient{Offset: rec.Offset, Address: string(rec.Data), OrigAddr: string(rec.Data)}
		}
	}
	if m.rcpt.Address == "" || m.dataOffset == 0 {
		return m, fmt.Errorf("%s: no recipient or no size record", id)
	}
	return m, nil
}

// request plays qmgr: it sends one delivery request for a held message
// to a delivery agent service, with the given request flags (no
// DEL_REQ_FLAG_SUCCESS or _BOUNCE, so the queue file stays as it is),
// and waits for the agent's answer.
func request(in *instance.Instance, service, nexthop string, m heldMessage, flags int) (dsn.DSN, int, error) {
	c, err := attr.DialService(in.Path("queue"), "private", service, attr.Format0, 60*time.Second)
	if err != nil {
		return dsn.DSN{}, 0, err
	}
	defer c.Close()
	if err := deliver.ReadInitial(c); err != nil {
		return dsn.DSN{}, 0, err
	}
	now := time.Now()
	req := &deliver.Request{Flags: flags, QueueName: "hold", QueueID: m.id, DataOffset: m.dataOffset,
		DataSize: m.dataLen, Nexthop: nexthop, Sender: m.sender, Rcpts: []deliver.Recipient{m.rcpt},
		Stats: deliver.Stats{IncomingArrival: now, ActiveArrival: now}, ClientName: "localhost",
		ClientAddr: "127.0.0.1", ClientProto: "ESMTP", LogIdent: m.id, RewriteContext: "remote"}
	if err := deliver.WriteRequest(c, req); err != nil {
		return dsn.DSN{}, 0, err
	}
	return deliver.ReadReply(c)
}
