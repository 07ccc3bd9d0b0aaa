package dict

import "os"

// surrogate stands in for a table that could not be opened, so that a
// long-running program keeps going with reduced function instead of dying
// (dict_surrogate). It reports the requested flags plus FlagPattern, is
// trusted, and every operation logs "TYPE:NAME is unavailable. REASON"
// and fails with a temporary (KindRetry) error. Update and Delete are
// offered only when the table was opened for writing, as in Postfix.
type surrogate struct {
	Base
	reason   string
	writable bool
}

// NewSurrogate logs reason as an error right away (the table may not be
// used for a long time, and the mistake should not go unnoticed) and
// returns a table whose operations all fail because of it.
func NewSurrogate(req OpenRequest, reason string) Dict {
	s := &surrogate{reason: reason, writable: req.Mode&os.O_RDWR != 0}
	s.Init(req, FlagPattern)
	s.SetOwner(Owner{Status: OwnerTrusted})
	s.Log().Errorf("%s", reason)
	return s
}

func (s *surrogate) fail() error {
	s.Log().Warnf("%s is unavailable. %s", s.Label(), s.reason)
	return &Error{Kind: KindRetry, Msg: s.Label() + " is unavailable. " + s.reason}
}

func (s *surrogate) Lookup(string) (string, bool, error) { return "", false, s.fail() }

func (s *surrogate) Update(key, value string) error {
	if !s.writable {
		return s.Base.Update(key, value)
	}
	return s.fail()
}

func (s *surrogate) Delete(key string) (bool, error) {
	if !s.writable {
		return s.Base.Delete(key)
	}
	return false, s.fail()
}

func (s *surrogate) Sequence(SeqOp) (string, string, bool, error) {
	return "", "", false, s.fail()
}

func (s *surrogate) Lock(LockOp) error { return nil }
