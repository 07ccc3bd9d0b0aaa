package main

import (
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/milter"
	gpparams "gopostfix/libglobal/params"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// milterConfig is the Milter part of the daemon's configuration
// (cleanup_init.c): non_smtpd_milters, the settings milters handed over
// by smtpd are received with, milter_header_checks and the macro values
// cleanup itself provides.
type milterConfig struct {
	milters         *milter.Milters // non_smtpd_milters; nil when empty
	milterCfg       milter.Config
	milterHdrChecks *maps.Maps
	// milter_macro_daemon_name, milter_macro_v
	milterDaemonName, milterV string
	// ipv6First: a local submission comes from ::1, not 127.0.0.1
	// (inet_protocols lists only IPv6).
	ipv6First bool
}

// newMilterConfig reads the Milter parameters and creates the
// non_smtpd_milters (they connect when the first message needs them).
func newMilterConfig(p params, reg *dict.Registry, log *msg.Logger) (milterConfig, error) {
	mc := milterConfig{
		milterDaemonName: p.Str("milter_macro_daemon_name"),
		milterV:          p.Str("milter_macro_v"),
		milterCfg:        milter.ConfigFrom(p, p.Str("non_smtpd_milters"), log),
	}
	if fams, err := gpparams.ParseProtocols(p.Str("inet_protocols")); err == nil && len(fams) > 0 {
		mc.ipv6First = fams[0] == "ipv6"
	}
	if mc.milterCfg.Names != "" {
		m, err := milter.New(mc.milterCfg)
		if err != nil {
			return mc, err
		}
		mc.milters = m
	}
	if v := p.Str("milter_header_checks"); v != "" {
		m, err := maps.Open(reg, "milter_header_checks", v, dict.FlagDefault, log)
		if err != nil {
			return mc, err
		}
		mc.milterHdrChecks = m
	}
	return mc, nil
}
