package stdtypes

import (
	"math/rand/v2"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// composite is a table made of other tables: pipemap:{t1, t2, ...}
// (dict_pipe.c) feeds each result to the next table, unionmap:{...}
// (dict_union.c) joins the results of all tables with commas.
type composite struct {
	dict.Base
	tables []dict.Dict
	union  bool
}

// openComposite parses "{type:name, type:name ...}" and opens each table.
func openComposite(req dict.OpenRequest, union bool) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	bad := dict.Configf("bad syntax: \"%s:%s\"; need \"%s:{type:name...}\"", req.Type, req.Name, req.Type)
	n := dict.BalPar(req.Name, "{}")
	if n == 0 || n != len(req.Name) || n == 2 {
		return nil, bad
	}
	specs := dict.TokensQ(req.Name[1:n-1], dict.CommaSpace, "{}")
	if len(specs) == 0 {
		return nil, bad
	}
	c := &composite{union: union}
	myname := "dict_pipe_open"
	if union {
		myname = "dict_union_open"
	}
	owner := dict.Owner{Status: dict.OwnerTrusted}
	var match dict.Flags
	for i, spec := range specs {
		if !strings.Contains(spec, ":") {
			c.Close()
			return nil, bad
		}
		req.Log().Debugf("%s: %s", myname, spec)
		t, err := req.Registry.Open(spec, req.Mode, req.Flags)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.tables = append(c.tables, t)
		owner = owner.Aggregate(t.Common().Owner())
		if i == 0 {
			match = t.Flags() & (dict.FlagFixed | dict.FlagPattern)
		}
	}
	c.Init(req, match)
	c.SetOwner(owner)
	return c, nil
}

func openPipe(req dict.OpenRequest) (dict.Dict, error)  { return openComposite(req, false) }
func openUnion(req dict.OpenRequest) (dict.Dict, error) { return openComposite(req, true) }

func (c *composite) Lookup(key string) (string, bool, error) {
	if c.union {
		var b strings.Builder
		for _, t := range c.tables {
			v, ok, err := t.Lookup(key)
			if err != nil {
				return "", false, err
			}
			if ok {
				if b.Len() > 0 {
					b.WriteByte(',')
				}
				b.WriteString(v)
			}
		}
		return b.String(), b.Len() > 0, nil
	}
	q := key
	for _, t := range c.tables {
		v, ok, err := t.Lookup(q)
		if !ok || err != nil {
			return "", false, err
		}
		q = v
	}
	return q, true, nil
}

func (c *composite) Close() error {
	var first error
	for _, t := range c.tables {
		if err := t.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// randomDict returns one of its values at random (dict_random.c).
type randomDict struct {
	dict.Base
	values []string
}

func openRandom(req dict.OpenRequest) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	bad := dict.Configf("bad syntax: \"%s:%s\"; need \"%s:{value...}\"", req.Type, req.Name, req.Type)
	n := dict.BalPar(req.Name, "{}")
	if n == 0 || n != len(req.Name) || n == 2 {
		return nil, bad
	}
	d := &randomDict{}
	d.Init(req, dict.FlagPattern)
	for _, v := range dict.TokensQ(req.Name[1:n-1], dict.CommaSpace, "{}") {
		if req.Flags&dict.FlagSrcRHSIsFile != 0 {
			b64, err := dict.FileToBase64(v)
			if err != nil {
				return nil, dict.Configf("%s", err)
			}
			v = b64
		}
		d.values = append(d.values, v)
	}
	if len(d.values) == 0 {
		return nil, bad
	}
	return d, nil
}

func (d *randomDict) Lookup(string) (string, bool, error) {
	return d.values[rand.IntN(len(d.values))], true, nil
}
