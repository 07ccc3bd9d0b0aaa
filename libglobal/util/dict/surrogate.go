package dict

// surrogate stands in for a table that could not be opened, so that a
// long-running program keeps going with reduced function instead of dying
// (dict_surrogate): every operation logs the reason and fails with a
// configuration error.
type surrogate struct {
	Base
	reason string
}

// NewSurrogate returns a table whose operations all fail with reason.
func NewSurrogate(req OpenRequest, reason string) Dict {
	s := &surrogate{reason: reason}
	s.Init(req, 0)
	return s
}

func (s *surrogate) fail() error {
	s.Log().Warnf("%s", s.reason)
	return &Error{Kind: KindConfig, Msg: s.reason}
}

func (s *surrogate) Lookup(string) (string, bool, error) { return "", false, s.fail() }
func (s *surrogate) Update(string, string) error         { return s.fail() }
func (s *surrogate) Delete(string) (bool, error)         { return false, s.fail() }
func (s *surrogate) Sequence(SeqOp) (string, string, bool, error) {
	return "", "", false, s.fail()
}
func (s *surrogate) Lock(LockOp) error { return nil }
