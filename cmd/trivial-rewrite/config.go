package main

import (
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// params is where configuration values come from (the skeleton's
// Server in the daemon).
type params interface {
	Str(name string) string
	Bool(name string) bool
}

// rewriter is the daemon's state: both services' configuration and
// tables, read once at start-up.
type rewriter struct {
	log       *msg.Logger
	configDir string
	opts      rewriteOpts
	localCtx  context
	remoteCtx context

	myhostname           string
	emptyAddr            string
	resolveDequoted      bool
	resolveNullDomain    bool
	resolveNumericDomain bool
	allowMinUser         bool
	showUnknownTable     bool
	helpfulWarnings      bool
	nullRelayKey         string
	nullDefXportKey      string

	local           *maps.Local
	addrEnv         *maps.AddrEnv
	virtAliasDoms   *maps.MatchList
	virtMailboxDoms *maps.MatchList
	relayDomains    *maps.MatchList
	relocated       *maps.Maps
	regular, verify resolveContext
}

// parentStyle reports whether a parameter is listed in
// parent_domain_matches_subdomains (match_parent_style).
func parentStyle(p params, name string) bool {
	for _, n := range strings.FieldsFunc(p.Str("parent_domain_matches_subdomains"), func(r rune) bool {
		return strings.ContainsRune(maps.CommaSpace, r)
	}) {
		if n == name {
			return true
		}
	}
	return false
}

// newRewriter reads the configuration and opens the tables.
func newRewriter(p params, reg *dict.Registry, log *msg.Logger, configDir string) (*rewriter, error) {
	r := &rewriter{
		log:       log,
		configDir: configDir,
		opts: rewriteOpts{
			swapBangpath:    p.Bool("swap_bangpath"),
			percentHack:     p.Bool("allow_percent_hack"),
			appendAtOrigin:  p.Bool("append_at_myorigin"),
			appendDotDomain: p.Bool("append_dot_mydomain"),
		},
		localCtx:             context{origin: p.Str("myorigin"), domain: p.Str("mydomain")},
		remoteCtx:            context{origin: p.Str("remote_header_rewrite_domain"), domain: p.Str("remote_header_rewrite_domain")},
		myhostname:           p.Str("myhostname"),
		emptyAddr:            p.Str("empty_address_recipient"),
		resolveDequoted:      p.Bool("resolve_dequoted_address"),
		resolveNullDomain:    p.Bool("resolve_null_domain"),
		resolveNumericDomain: p.Bool("resolve_numeric_domain"),
		allowMinUser:         p.Bool("allow_min_user"),
		showUnknownTable:     p.Bool("show_user_unknown_table_name"),
		helpfulWarnings:      p.Bool("helpful_warnings"),
		nullRelayKey:         p.Str("empty_address_relayhost_maps_lookup_key"),
		nullDefXportKey:      p.Str("empty_address_default_transport_maps_lookup_key"),
	}
	var err error
	list := func(name string, kind maps.ListKind) *maps.MatchList {
		if err != nil || p.Str(name) == "" {
			return nil
		}
		var l *maps.MatchList
		l, err = maps.NewMatchList(reg, name, p.Str(name), kind, parentStyle(p, name), log)
		return l
	}
	table := func(name string, flags dict.Flags) *maps.Maps {
		if err != nil || p.Str(name) == "" {
			return nil
		}
		var m *maps.Maps
		m, err = maps.Open(reg, name, p.Str(name), flags, log)
		return m
	}
	mydest := list("mydestination", maps.StringList)
	r.local = &maps.Local{Dest: mydest, Addrs: append(maps.InterfaceAddrs(p.Str("inet_interfaces")), maps.InterfaceAddrs(p.Str("proxy_interfaces"))...)}
	r.addrEnv = &maps.AddrEnv{
		Delim:         p.Str("recipient_delimiter"),
		MyOrigin:      p.Str("myorigin"),
		DoubleBounce:  p.Str("double_bounce_sender"),
		OwnReqSpecial: p.Bool("owner_request_special"),
		IsLocal:       r.local.Match,
	}
	r.virtAliasDoms = list("virtual_alias_domains", maps.StringList)
	r.virtMailboxDoms = list("virtual_mailbox_domains", maps.StringList)
	r.relayDomains = list("relay_domains", maps.DomainList)
	r.relocated = table("relocated_maps", dict.FlagDefault)
	ctx := func(local, virt, relay, def, relayhost, sndDef, sndRelay, transport string) resolveContext {
		rc := resolveContext{
			localTransport: param{local, p.Str(local)},
			virtTransport:  param{virt, p.Str(virt)},
			relayTransport: param{relay, p.Str(relay)},
			defTransport:   param{def, p.Str(def)},
			relayhost:      param{relayhost, p.Str(relayhost)},
			sndDefXport:    table(sndDef, dict.FlagDefault),
			sndRelay:       table(sndRelay, dict.FlagDefault),
		}
		if t := table(transport, dict.FlagDefault|dict.FlagNoRegsub); t != nil {
			rc.transport = &transportTable{maps: t, parentStyle: parentStyle(p, "transport_maps")}
		}
		return rc
	}
	r.regular = ctx("local_transport", "virtual_transport", "relay_transport", "default_transport",
		"relayhost", "sender_dependent_default_transport_maps", "sender_dependent_relayhost_maps", "transport_maps")
	r.verify = ctx("address_verify_local_transport", "address_verify_virtual_transport",
		"address_verify_relay_transport", "address_verify_default_transport", "address_verify_relayhost",
		"address_verify_sender_dependent_default_transport_maps",
		"address_verify_sender_dependent_relayhost_maps", "address_verify_transport_maps")
	if err != nil {
		return nil, err
	}
	return r, nil
}

// changedTable is the "table has changed -- restarting" check: it
// returns the name of a table file that changed since it was opened.
func changedTable(reg *dict.Registry) string {
	return reg.Changed()
}
