package main

import (
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// userMaps is one of the per-user tables of local (mailbox_transport_maps,
// mailbox_command_maps, fallback_transport_maps). Like Postfix's local,
// the tables are opened when the first recipient needs them, so that a
// broken table is reported then and not at start-up.
type userMaps struct {
	param string     // parameter name, the table list's title
	specs string     // its value
	flags dict.Flags // open flags
	m     *maps.Maps // nil until opened
}

// transportMapFlags are the open flags of mailbox_transport_maps and
// fallback_transport_maps; commandMapFlags those of mailbox_command_maps,
// which must not take values from regexp substitutions, proxies or
// tables an unprivileged user controls.
const (
	transportMapFlags = dict.FlagLock | dict.FlagNoRegsub | dict.FlagUTF8Request
	commandMapFlags   = dict.FlagLock | dict.FlagParanoid | dict.FlagUTF8Request
)

// findUser looks the user up (maps_find without partial keys). found is
// false when the parameter is empty or no table holds the user; err is
// set when a table could not be searched.
func (a *agent) findUser(u *userMaps, user string) (value string, found bool, err error) {
	if u.specs == "" {
		return "", false, nil
	}
	if u.m == nil {
		m, err := maps.Open(a.reg, u.param, u.specs, u.flags, a.s.Log)
		dict.ExitIfFatal(a.s.Log, err)
		if err != nil {
			a.s.Log.Warnf("%v", err)
			return "", false, err
		}
		u.m = m
	}
	return u.m.Find(user, false)
}
