package main

import (
	"os"
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Access list verdicts (SERVER_ACL_ACT_*).
const (
	aclError  = -2
	aclReject = -1
	aclDunno  = 0
	aclPermit = 1
)

// accessList is postscreen_access_list (server_acl.c): permit, reject,
// dunno, permit_mynetworks and type:table lookups of the client address
// whose result is itself such a list (without further tables).
type accessList struct {
	origin string
	items  []string
	tables map[string]dict.Dict
	mynet  *maps.MatchList
	log    *msg.Logger
}

// newAccessList opens mynetworks as an address list and the tables of
// the list (server_acl_pre_jail_init and server_acl_parse).
func newAccessList(reg *dict.Registry, origin, list, mynetworks string, log *msg.Logger) (*accessList, error) {
	mynet, err := maps.NewMatchList(reg, origin, mynetworks, maps.AddrList, false, log)
	if err != nil {
		return nil, err
	}
	a := &accessList{origin: origin, tables: map[string]dict.Dict{}, mynet: mynet, log: log}
	if list == "" {
		return a, nil
	}
	a.items = a.parse(list, origin)
	for _, item := range a.items {
		if strings.Contains(item, ":") && a.tables[item] == nil {
			d, err := reg.Shared(item, os.O_RDONLY, dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request)
			if err != nil {
				return nil, err
			}
			a.tables[item] = d
		}
	}
	return a, nil
}

// parse splits a list; inside a table's result (origin is a table) a
// table name ends the list with "dunno", as nested tables are not
// allowed.
func (a *accessList) parse(list, origin string) []string {
	var items []string
	for _, item := range dict.TokensQ(list, dict.CommaSpace, "{}") {
		if strings.Contains(item, ":") && strings.Contains(origin, ":") {
			a.log.Warnf("table %s: lookup result \"%s\" is not allowed -- ignoring remainder of access list", origin, item)
			items = append(items, "dunno")
			break
		}
		items = append(items, item)
	}
	return items
}

// eval applies the list to a client address (server_acl_eval).
func (a *accessList) eval(addr string) int {
	return a.evalItems(addr, a.items, a.origin)
}

func (a *accessList) evalItems(addr string, items []string, origin string) int {
	for _, item := range items {
		switch {
		case strings.EqualFold(item, "reject"):
			return aclReject
		case strings.EqualFold(item, "permit"):
			return aclPermit
		case strings.EqualFold(item, "permit_mynetworks"):
			ok, err := a.mynet.Match(addr)
			if ok {
				return aclPermit
			}
			if err != nil {
				a.log.Warnf("%v", err)
				a.log.Warnf("%s: %s: mynetworks lookup error -- ignoring the remainder of this access list", origin, item)
				return aclError
			}
		case strings.Contains(item, ":"):
			d := a.tables[item]
			if d == nil {
				a.log.Warnf("%s: %s: table lookup error -- ignoring the remainder of this access list", origin, item)
				return aclError
			}
			val, found, err := d.Lookup(addr)
			if err != nil {
				a.log.Warnf("%s: %s: table lookup error -- ignoring the remainder of this access list", origin, item)
				return aclError
			}
			if found {
				var sub []string
				if !strings.ContainsAny(val, ":"+dict.CommaSpace) {
					sub = []string{val}
				} else {
					sub = a.parse(val, item)
				}
				if v := a.evalItems(addr, sub, item); v != aclDunno {
					return v
				}
			}
		case strings.EqualFold(item, "dunno"):
			return aclDunno
		default:
			a.log.Warnf("%s: unknown command: %s -- ignoring the remainder of this access list", origin, item)
			return aclError
		}
	}
	return aclDunno
}
