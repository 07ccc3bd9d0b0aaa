package main

import (
	"gopostfix/libglobal/queue"
	"gopostfix/libmaster"
)

// config is what showq reads from main.cf once, before serving.
type config struct {
	layout    *queue.Layout
	dupLimit  int    // duplicate_filter_limit
	emptyAddr string // empty_address_recipient
	utf8      bool   // smtputf8_enable: printable() keeps UTF-8
}

func newConfig(s *libmaster.Server) (*config, error) {
	l, err := queue.NewLayout("", s.Config)
	if err != nil {
		return nil, err
	}
	return &config{
		layout:    l,
		dupLimit:  s.Int("duplicate_filter_limit"),
		emptyAddr: s.Str("empty_address_recipient"),
		utf8:      s.Bool("smtputf8_enable"),
	}, nil
}
