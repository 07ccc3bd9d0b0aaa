package bounce

import (
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
)

// Fast flush service replies (flush_clnt.h).
const (
	flushStatFail = -1
	flushStatOK   = 0
	flushStatDeny = 4
)

// flushAdd tells the fast flush service that id has mail deferred for
// site (flush_add); sites outside fast_flush_domains are denied.
func (c *Client) flushAdd(site, id string) int {
	if c.FlushDomains == nil {
		return flushStatDeny
	}
	ok, err := c.FlushDomains.Match(site)
	if err != nil {
		return flushStatFail
	}
	if !ok {
		return flushStatDeny
	}
	return c.call("public", c.FlushService, attr.ProtoFlush, []attr.Attr{
		attr.Str("request", "add"), attr.Str("site", site), attr.Str(attrQueueID, id)})
}

// Recipient status values of the verify protocol (DEL_RCPT_STAT_*).
const (
	rcptStatOK     = 0
	rcptStatDefer  = 1
	rcptStatBounce = 2
)

// verifyUpdate stores an address's status in the verify service
// (verify_clnt_update); it retries once on a new connection.
func (c *Client) verifyUpdate(addr string, status int, why string) int {
	send := []attr.Attr{attr.Str("request", "update"), attr.Str("address", addr),
		attr.Int("recipient_status", status), attr.Str("reason", why)}
	for try := 0; try < 2; try++ {
		conn, err := attr.DialService(c.QueueDir, "private", c.VerifyService, attr.Format0, c.Timeout)
		if err == nil {
			var st int
			if err = conn.ReadAnnouncement(attr.ProtoVerify); err == nil {
				if err = conn.Print(send...); err == nil {
					var n int
					n, err = conn.Scan(attr.Missing, attr.RecvInt(attrStatus, &st))
					if n == 1 {
						conn.Close()
						return st
					}
				}
			}
			conn.Close()
		}
		c.Msg.Warnf("problem talking to service %s: %s", c.VerifyService, errText(err))
	}
	return -1
}

// verifyAppend records an address probe result in the verify service
// and logs it with the probe's action as status (verify_append).
func (c *Client) verifyAppend(id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN, vrfy int) int {
	action := d.Action
	req := 0
	if c.VerifyNegCache || vrfy == rcptStatOK {
		if r.OrigAddr != "" {
			req = c.verifyUpdate(r.OrigAddr, vrfy, d.Reason)
		}
		if req == 0 && r.Address != r.OrigAddr {
			req = c.verifyUpdate(r.Address, vrfy, d.Reason)
		}
	} else {
		action = "undeliverable-but-not-cached"
	}
	if req != 0 {
		c.Msg.Warnf("%s: %s service failure", id, c.VerifyService)
		return -1
	}
	c.Log.Delivery(id, st, r, relay, d, action)
	return 0
}
