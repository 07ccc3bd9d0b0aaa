package main

import "gopostfix/libglobal/util/dict"

// unavailable stands in for a table that could not be opened, as
// Postfix's dict_surrogate does in proxymap: the reason is logged as an
// error once, the table reports the requested flags plus FlagPattern,
// and every operation logs a warning and fails with a temporary error
// (status 2 to the client).
type unavailable struct {
	dict.Base
	reason string
}

func newUnavailable(name string, flags dict.Flags, reason string, p *proxy) dict.Dict {
	typ, rest, _ := dict.SplitSpec(name)
	u := &unavailable{reason: reason}
	u.InitName(typ, rest, flags|dict.FlagPattern, p.log)
	p.log.Errorf("%s", reason)
	return u
}

func (u *unavailable) fail() error {
	u.Log().Warnf("%s", u.reason)
	return &dict.Error{Kind: dict.KindRetry, Msg: u.reason}
}

func (u *unavailable) Lookup(string) (string, bool, error) { return "", false, u.fail() }
func (u *unavailable) Update(string, string) error         { return u.fail() }
func (u *unavailable) Delete(string) (bool, error)         { return false, u.fail() }
func (u *unavailable) Sequence(dict.SeqOp) (string, string, bool, error) {
	return "", "", false, u.fail()
}
func (u *unavailable) Lock(dict.LockOp) error { return nil }
