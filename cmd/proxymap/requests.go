package main

import (
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

func (p *proxy) lookup(c *attr.Conn) error {
	var table, key string
	var flags int
	status, value := statBad, ""
	if n := p.scan(c, attr.RecvStr("table", &table), attr.RecvInt("flags", &flags),
		attr.RecvStr("key", &key)); n == 3 {
		var d dict.Dict
		if d, status = p.find(table, dict.Flags(flags)); d != nil {
			useFlags(d, dict.Flags(flags), 0)
			v, ok, err := d.Lookup(key)
			switch {
			case err != nil:
				status = errStatus(err)
			case ok:
				status, value = statOK, v
			default:
				status = statNoKey
			}
		}
	}
	return c.Print(attr.Int("status", status), attr.Str("value", value))
}

func (p *proxy) update(c *attr.Conn) error {
	var table, key, value string
	var flags int
	status := statBad
	if n := p.scan(c, attr.RecvStr("table", &table), attr.RecvInt("flags", &flags),
		attr.RecvStr("key", &key), attr.RecvStr("value", &value)); n == 4 {
		if !p.writer {
			p.log.Warnf("refusing %s update request on non-%s service", table, "proxywrite")
			status = statDeny
		} else {
			var d dict.Dict
			if d, status = p.find(table, dict.Flags(flags)); d != nil {
				useFlags(d, dict.Flags(flags), dict.FlagSyncUpdate|dict.FlagDupReplace)
				status = statOK
				if err := d.Update(key, value); err != nil {
					status = kindStatus(err)
				}
			}
		}
	}
	return c.Print(attr.Int("status", status))
}

func (p *proxy) del(c *attr.Conn) error {
	var table, key string
	var flags int
	status := statBad
	if n := p.scan(c, attr.RecvStr("table", &table), attr.RecvInt("flags", &flags),
		attr.RecvStr("key", &key)); n == 3 {
		if !p.writer {
			p.log.Warnf("refusing %s delete request on non-%s service", table, "proxywrite")
			status = statDeny
		} else {
			var d dict.Dict
			if d, status = p.find(table, dict.Flags(flags)); d != nil {
				useFlags(d, dict.Flags(flags), dict.FlagSyncUpdate)
				ok, err := d.Delete(key)
				switch {
				case err != nil:
					status = kindStatus(err)
				case ok:
					status = statOK
				default:
					status = statNoKey
				}
			}
		}
	}
	return c.Print(attr.Int("status", status))
}

func (p *proxy) sequence(c *attr.Conn) error {
	var table string
	var flags, fn int
	status, key, value := statBad, "", ""
	if n := p.scan(c, attr.RecvStr("table", &table), attr.RecvInt("flags", &flags),
		attr.RecvInt("function", &fn)); n == 3 && (fn == int(dict.SeqFirst) || fn == int(dict.SeqNext)) {
		var d dict.Dict
		if d, status = p.find(table, dict.Flags(flags)); d != nil {
			useFlags(d, dict.Flags(flags), 0)
			k, v, ok, err := d.Sequence(dict.SeqOp(fn))
			switch {
			case err != nil:
				status = errStatus(err)
			case ok:
				status, key, value = statOK, k, v
			default:
				status = statNoKey
			}
		}
	}
	return c.Print(attr.Int("status", status), attr.Str("key", key), attr.Str("value", value))
}

func (p *proxy) openReq(c *attr.Conn) error {
	var table string
	var flags int
	status, replyFlags := statBad, 0
	if n := p.scan(c, attr.RecvStr("table", &table), attr.RecvInt("flags", &flags)); n == 2 {
		var d dict.Dict
		if d, status = p.find(table, dict.Flags(flags)); d != nil {
			status, replyFlags = statOK, int(d.Flags())
		}
	}
	return c.Print(attr.Int("status", status), attr.Int("flags", replyFlags))
}

// kindStatus maps a failed update or delete: a refused duplicate is
// "no key", a table error RETRY or CONFIG.
func kindStatus(err error) int {
	if dict.KindOf(err) == dict.KindNone {
		return statNoKey
	}
	return errStatus(err)
}

// scan reads the rest of a request record; Postfix's warning about a
// malformed record is logged.
func (p *proxy) scan(c *attr.Conn, targets ...attr.Recv) int {
	n, err := c.Scan(attr.Strict, targets...)
	if err != nil {
		p.log.Warnf("%v", err)
	}
	return n
}
