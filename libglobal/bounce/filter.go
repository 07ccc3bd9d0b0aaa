package bounce

import (
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// SetFilter installs a delivery status filter (bounce_client_init): the
// tables of parameter title (for example "smtp_delivery_status_filter",
// whose value is specs) rewrite "X.Y.Z text" before it is reported.
func (c *Client) SetFilter(reg *dict.Registry, title, specs string) error {
	if specs == "" {
		return nil
	}
	m, err := maps.Open(reg, title, specs, dict.FlagLock, c.Msg)
	if err != nil {
		return err
	}
	c.Filter = m
	return nil
}

// filter is dsn_filter_lookup: a replacement DSN, or nil.
func (c *Client) filter(d dsn.DSN) *dsn.DSN {
	if c.Filter == nil {
		return nil
	}
	ndr := d.Status[0] != '2'
	v, ok, err := c.Filter.Find(d.Status+" "+d.Reason, false)
	if err != nil || !ok {
		return nil
	}
	okClass := func(s string) bool {
		if dsn.Valid(s) == 0 {
			return false
		}
		if ndr {
			return s[0] == '4' || s[0] == '5'
		}
		return s[0] == '2'
	}
	if !okClass(v) {
		c.Msg.Warnf("%s: bad status code: %s", c.Filter.Title, v)
		return nil
	}
	status, text := dsn.Split(v, v)
	res := d
	res.Status, res.Reason = status, text
	switch v[0] {
	case '4':
		res.Action = "delayed"
	case '5':
		res.Action = "failed"
	}
	return &res
}
