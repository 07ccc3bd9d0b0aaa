package main

import (
	"time"

	"gopostfix/libmaster"
)

// params reads smtpd's parameters from main.cf with master.cf's -o
// overrides; a bad value is fatal, as Postfix's get_mail_conf_*.
type params struct{ s *libmaster.Server }

func (p params) Str(name string) string         { return p.s.Str(name) }
func (p params) Bool(name string) bool          { return p.s.Bool(name) }
func (p params) Time(name string) time.Duration { return p.s.Time(name) }

func (p params) List(name string) []string {
	v, err := p.s.Config.List(name)
	if err != nil {
		p.s.Log.Fatalf("%v", err)
	}
	return v
}

// Raw returns a value as written in main.cf (or master.cf -o), else the
// built-in default, without expansion.
func (p params) Raw(name string) string {
	v, _ := p.s.Config.Raw(name)
	return v
}

// Int reads an int or a long parameter (message_size_limit and
// queue_minfree are longs in Postfix).
func (p params) Int(name string) int {
	v, err := p.s.Config.Size(name)
	if err != nil {
		p.s.Log.Fatalf("%v", err)
	}
	return int(v)
}
