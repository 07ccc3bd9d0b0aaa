// Package params is the one definition of every Postfix 3.7.11 main.cf
// parameter: its name, the default text exactly as "postconf -d" prints it
// (often itself an expression such as "$myhostname ESMTP $mail_name"), its
// type, whether it is raw (never $-expanded), the default unit of time
// values and the bounds Postfix enforces.
//
// It reproduces the parameter tables that Postfix spreads over
// src/global/mail_params.h and the CONFIG_*_TABLE arrays of every program,
// as postconf collects them (src/postconf/postconf_builtin.c), plus the
// host- and process-dependent defaults that postconf computes (Defaults).
// The table is generated (go generate) from the real "postconf -d" output
// and internal/gen/kinds.txt.
//
// Differences from Postfix: compatibility_level-dependent defaults are
// kept as the ${{$compatibility_level} <level {N} ? ...} expressions
// postconf shows, and are evaluated through package mac with the "level"
// operator suffix (Relops).
package params

//go:generate go run ./internal/gen

import (
	"fmt"
	"sort"
)

// Kind is the type a program reads a parameter as.
type Kind int

// The parameter kinds of Postfix's configuration tables. The NINT and
// NBOOL tables (integers and booleans whose default is an expression) are
// Int and Bool here; every LONG parameter of Postfix 3.7 is a byte count,
// so Size is another name of Long.
const (
	String Kind = iota + 1
	Bool
	Int
	Long
	Time
	Size = Long
)

func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Bool:
		return "bool"
	case Int:
		return "int"
	case Long:
		return "long"
	case Time:
		return "time"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Param describes one built-in parameter. Values returned by Lookup and All
// are shared and must not be modified.
type Param struct {
	Name string
	// Default is the default text as "postconf -d" prints it. It is empty
	// for Computed parameters.
	Default string
	Kind    Kind
	// Raw parameters are never $-expanded by the programs that use them
	// (postconf -x leaves them alone).
	Raw bool
	// Unit is the default unit of a Time value ('s', 'm', 'h', 'd', 'w')
	// under the built-in defaults: the first letter of the expanded
	// Default. Programs derive it from the default as configured.
	Unit byte
	// Min and Max are the bounds Postfix enforces (string length for
	// String); 0 means none.
	Min, Max int64
	// Computed defaults depend on the host or the process: myhostname,
	// mydomain, mynetworks, process_id, process_name (see Defaults).
	Computed bool
	// ReadOnly parameters are set by the program itself (process_id,
	// process_name, service_name); postconf ignores main.cf settings of
	// them with a warning.
	ReadOnly bool
}

var index = func() map[string]*Param {
	m := make(map[string]*Param, len(table))
	for i := range table {
		m[table[i].Name] = &table[i]
	}
	return m
}()

// Lookup returns the built-in parameter called name.
func Lookup(name string) (*Param, bool) {
	p, ok := index[name]
	return p, ok
}

// All returns every built-in parameter, sorted by name (bytewise, as
// postconf sorts).
func All() []*Param {
	all := make([]*Param, len(table))
	for i := range table {
		all[i] = &table[i]
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}

// legacy are old parameter names postconf still knows so that it does
// not call them unused (postconf_builtin.c); they have no default and are
// not printed by "postconf -d".
var legacy = map[string]bool{
	"virtual_maps":                             true,
	"fallback_relay":                           true,
	"authorized_verp_clients":                  true,
	"smtpd_client_connection_limit_exceptions": true,
	"postscreen_dnsbl_ttl":                     true,
	"postscreen_blacklist_action":              true,
	"postscreen_dnsbl_whitelist_threshold":     true,
	"postscreen_whitelist_interfaces":          true,
	"lmtp_per_record_deadline":                 true,
	"smtp_per_record_deadline":                 true,
	"smtpd_per_record_deadline":                true,
	"tlsproxy_client_level":                    true,
	"tlsproxy_client_policy":                   true,
}

// IsLegacy reports whether name is a legacy parameter name that postconf
// accepts (and shows as user-defined when set) but does not list.
func IsLegacy(name string) bool { return legacy[name] }
