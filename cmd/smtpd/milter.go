package main

import (
	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/util/msg"
)

// milterConfig reads the Milter parameters smtpd passes to milter_create
// (the list itself comes per session: smtpd_milters or a
// smtpd_milter_maps result).
func milterConfig(p params, log *msg.Logger) milter.Config {
	return milter.ConfigFrom(p, "", log)
}

// newMilters returns the session engine's Milter factory for cfg.
func newMilters(cfg milter.Config) func(names string) (smtpd.Milters, error) {
	return func(names string) (smtpd.Milters, error) {
		c := cfg
		c.Names = names
		m, err := milter.New(c)
		if err != nil {
			return nil, err
		}
		return sessionMilters{m}, nil
	}
}

// sessionMilters adapts libglobal/milter to the engine's interface.
type sessionMilters struct{ m *milter.Milters }

func (s sessionMilters) SetMacroLookup(fn func(string) (string, bool)) { s.m.SetMacroLookup(fn) }

func (s sessionMilters) ConnEvent(name, addr, port string, family int) string {
	fam := milter.FamilyUnspec
	switch family {
	case smtpd.FamilyInet:
		fam = milter.FamilyInet
	case smtpd.FamilyInet6:
		fam = milter.FamilyInet6
	}
	return s.m.ConnEvent(name, addr, port, fam)
}

func (s sessionMilters) HeloEvent(helo string, esmtp bool) string { return s.m.HeloEvent(helo, esmtp) }
func (s sessionMilters) MailEvent(args []string) string           { return s.m.MailEvent(args) }

func (s sessionMilters) RcptEvent(rejected bool, args []string) string {
	flags := 0
	if rejected {
		flags = milter.FlagWantRcptRej
	}
	return s.m.RcptEvent(flags, args)
}

func (s sessionMilters) DataEvent() string              { return s.m.DataEvent() }
func (s sessionMilters) UnknownEvent(cmd string) string { return s.m.UnknownEvent(cmd) }
func (s sessionMilters) OtherEvent() string             { return s.m.OtherEvent() }
func (s sessionMilters) Abort()                         { s.m.Abort() }
func (s sessionMilters) DiscEvent()                     { s.m.DiscEvent() }
func (s sessionMilters) Close()                         { s.m.Close() }
