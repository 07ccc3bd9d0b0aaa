package stdtypes

import (
	"os"

	"gopostfix/libglobal/util/dict"
)

// staticDict returns the same value for every key (dict_static.c).
type staticDict struct {
	dict.Base
	value string
}

func openStatic(req dict.OpenRequest) (dict.Dict, error) {
	value := req.Name
	if value != "" && value[0] == '{' {
		inner, problem := dict.ExtPar(value, "{}", true)
		if problem != "" {
			return nil, dict.Configf("bad static:name syntax: %s", problem)
		}
		value = inner
	}
	if req.Flags&dict.FlagSrcRHSIsFile != 0 {
		b64, err := dict.FileToBase64(value)
		if err != nil {
			return nil, dict.Configf("%s", err)
		}
		value = b64
	}
	d := &staticDict{value: value}
	d.Init(req, dict.FlagFixed)
	return d, nil
}

func (d *staticDict) Lookup(string) (string, bool, error) { return d.value, true, nil }

// failDict fails every request with a retryable error (dict_fail.c).
type failDict struct {
	dict.Base
	writable bool
}

func openFail(req dict.OpenRequest) (dict.Dict, error) {
	d := &failDict{writable: req.Mode&os.O_RDWR != 0}
	d.Init(req, dict.FlagPattern)
	return d, nil
}

func (d *failDict) err() error { return &dict.Error{Kind: dict.KindRetry, Msg: "Application error"} }

func (d *failDict) Lookup(string) (string, bool, error) { return "", false, d.err() }

func (d *failDict) Sequence(dict.SeqOp) (string, string, bool, error) {
	return "", "", false, d.err()
}

func (d *failDict) Update(k, v string) error {
	if !d.writable {
		return d.Base.Update(k, v)
	}
	return d.err()
}

func (d *failDict) Delete(k string) (bool, error) {
	if !d.writable {
		return d.Base.Delete(k)
	}
	return false, d.err()
}

// environDict looks keys up in the process environment (dict_env.c).
type environDict struct{ dict.Base }

func openEnviron(req dict.OpenRequest) (dict.Dict, error) {
	d := &environDict{}
	d.Init(req, dict.FlagFixed)
	return d, nil
}

func (d *environDict) Lookup(key string) (string, bool, error) {
	v, ok := os.LookupEnv(d.FoldKey(key))
	return v, ok, nil
}

func (d *environDict) Update(key, value string) error {
	if err := os.Setenv(d.FoldKey(key), value); err != nil {
		return dict.Wrap(dict.KindRetry, err, "setenv")
	}
	return nil
}
