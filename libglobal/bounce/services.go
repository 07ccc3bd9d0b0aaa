package bounce

import (
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/verify"
)

// Recipient status values of the verify protocol (DEL_RCPT_STAT_*).
const (
	rcptStatOK     = verify.RcptOK
	rcptStatDefer  = verify.RcptDefer
	rcptStatBounce = verify.RcptBounce
)

// verifyUpdate stores an address's status in the verify service
// (verify_clnt_update); it retries once on a new connection.
func (c *Client) verifyUpdate(addr string, status int, why string) int {
	v := verify.NewClient(c.QueueDir, c.VerifyService, c.Msg)
	defer v.Close()
	v.Tries = 2
	if c.Timeout > 0 {
		v.Limits(c.Timeout, 0, 0)
	}
	return v.Update(addr, status, why)
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
