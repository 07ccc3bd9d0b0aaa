package regtable

import (
	"os"

	"gopostfix/libglobal/util/dict"
)

// Dict is a regexp or pcre table behind the dict.Dict interface.
type Dict struct {
	dict.Base
	t *Table
}

// Open opens req.Name as a table of eng's type: a rule file, or inline
// rules when the name starts with "{". Tables are read-only.
func Open(eng *Engine, req dict.OpenRequest) (dict.Dict, error) {
	if req.Mode != os.O_RDONLY {
		return nil, dict.Configf("%s:%s map requires O_RDONLY access mode", req.Type, req.Name)
	}
	src, err := dict.OpenStream(eng.Type, req.Name)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	d := &Dict{}
	d.Init(req, dict.FlagPattern)
	d.SetOwner(src.Owner)
	t, err := Parse(eng, req.Name, src, req.Flags, req.Log())
	if err != nil {
		return nil, &dict.Error{Kind: dict.KindConfig, Msg: err.Error(), Err: err}
	}
	d.t = t
	return d, nil
}

// Lookup implements dict.Dict.
func (d *Dict) Lookup(key string) (string, bool, error) {
	d.Log().Debugf("dict_%s_lookup: %s: %s", d.Type(), d.Name(), key)
	v, ok := d.t.Lookup(d.FoldKey(key))
	return v, ok, nil
}

// Close implements dict.Dict.
func (d *Dict) Close() error {
	d.t.Close()
	return nil
}
