package main

import (
	"os"
	"strings"
	"sync"

	"gopostfix/cmd/smtpd/internal/namadr"
	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// tables opens lookup tables and host lists once and keeps them for the
// life of the process, through the registry's shared cache: the tables
// of the restriction lists and classes when the process starts
// (preopen), as Postfix's smtpd opens them in pre_init, the others on
// first use. proxy:
// tables are the registry's default type (libglobal/maps/dictproxy),
// which reads queue_directory and proxymap_service_name through the
// registry's Params.
type tables struct {
	reg         *dict.Registry
	parentMatch map[string]bool
	mu          sync.Mutex
	lists       map[string]*namadr.List
	maps        map[string]*maps.Maps
	log         *msg.Logger
}

func newTables(log *msg.Logger, parentMatch []string, utf8 bool) *tables {
	reg := maptypes.NewRegistry(log)
	reg.UTF8 = utf8
	reg.AllowSurrogate = true
	t := &tables{reg: reg, parentMatch: map[string]bool{}, lists: map[string]*namadr.List{},
		maps: map[string]*maps.Maps{}, log: log}
	for _, n := range parentMatch {
		t.parentMatch[n] = true
	}
	return t
}

// open opens one "type:name" table for access-style lookups. A table
// that cannot be opened comes back as the registry's stand-in, which
// fails its lookups; a failure that Postfix makes fatal whatever
// dict_allow_surrogate says (a proxymap that refuses the table) ends
// the process, as the real smtpd's msg_fatal.
func (t *tables) open(spec string) (smtpd.Table, error) {
	d, err := t.reg.Shared(spec, os.O_RDONLY, dict.FlagDefault)
	dict.ExitIfFatal(t.log, err)
	return d, err
}

// openList is open for the tables inside host lists.
func (t *tables) openList(spec string) (namadr.Table, error) {
	d, err := t.reg.Shared(spec, os.O_RDONLY, dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request)
	dict.ExitIfFatal(t.log, err)
	return d, err
}

// hostList returns the parsed host list of a parameter.
func (t *tables) hostList(param string, patterns []string) (smtpd.HostList, error) {
	key := param + "\x00" + strings.Join(patterns, "\x00")
	t.mu.Lock()
	defer t.mu.Unlock()
	if l, ok := t.lists[key]; ok {
		return l, nil
	}
	l, err := namadr.New(param, patterns, t.parentMatch[param], t.openList)
	if err != nil {
		return nil, err
	}
	t.lists[key] = l
	return l, nil
}

// addrMaps opens a table list for mail address lookups (maps_create with
// DICT_FLAG_LOCK, FOLD_FIX and UTF8_REQUEST), once per title and value.
func (t *tables) addrMaps(title, specs string) (*maps.Maps, error) {
	key := title + "\x00" + specs
	t.mu.Lock()
	defer t.mu.Unlock()
	if m, ok := t.maps[key]; ok {
		return m, nil
	}
	m, err := maps.Open(t.reg, title, specs, dict.FlagDefault, t.log)
	if err != nil {
		dict.ExitIfFatal(t.log, err)
		t.log.Warnf("%v", err)
		return nil, err
	}
	t.maps[key] = m
	return m, nil
}

// addrEnv is what mail_addr_find needs from main.cf, with the local
// domains of resolve_local (mydestination, inet_interfaces,
// proxy_interfaces).
func (t *tables) addrEnv(p params) (*maps.AddrEnv, error) {
	dest, err := maps.NewMatchList(t.reg, "mydestination", p.Str("mydestination"), maps.StringList, false, t.log)
	if err != nil {
		return nil, err
	}
	local := &maps.Local{Dest: dest, Addrs: append(maps.InterfaceAddrs(p.Str("inet_interfaces")),
		maps.InterfaceAddrs(p.Str("proxy_interfaces"))...)}
	return &maps.AddrEnv{Delim: p.Str("recipient_delimiter"), MyOrigin: p.Str("myorigin"),
		DoubleBounce: p.Str("double_bounce_sender"), OwnReqSpecial: p.Bool("owner_request_special"),
		IsLocal: local.Match}, nil
}

// preopen opens, when the process starts and before it serves anyone,
// the tables that the real smtpd opens in pre_jail_init and
// smtpd_check_init, in the same order: the command lists, the
// client host lists, mynetworks, relay_domains,
// permit_mx_backup_networks, relay_clientcerts, the recipient and
// canonical tables, rbl_reply_maps, smtpd_sender_login_maps, the tables
// of the restriction lists and classes, local_header_rewrite_clients,
// debug_peer_list, smtpd_sasl_exceptions_networks and
// smtpd_command_filter (flush.New then opens fast_flush_domains, and
// preopenLate the rest). A table that cannot be opened is logged then
// ("error: open database ...", "error: unsupported dictionary type
// ..."), and the sessions that use it later find the same unavailable
// table in the caches (the registry's, t.lists, t.maps) and fail as
// Postfix does. A class without a definition is fatal, as in Postfix,
// and so is a table whose open Postfix makes fatal (see open). Lists
// and tables that this smtpd does not otherwise use (the VERP clients,
// relay_domains, debug_peer_list, ...) are opened all the same, for the
// same start-up log and the same fatal errors.
func (t *tables) preopen(p params, cfg *smtpd.Config) {
	t.preopenStrings(cfg.NoopCmds)
	t.preopenStrings(cfg.ForbidCmds)
	t.preopenHosts("smtpd_authorized_verp_clients", p.List("smtpd_authorized_verp_clients"))
	t.preopenHosts("smtpd_authorized_xclient_hosts", cfg.XclientHosts)
	t.preopenHosts("smtpd_authorized_xforward_hosts", cfg.XforwardHosts)
	t.preopenHosts("smtpd_client_event_limit_exceptions", cfg.EventLimitExceptions)
	t.preopenHosts("smtpd_forbid_bare_newline_exclusions", cfg.BareLFExcl)
	t.preopenHosts("mynetworks", cfg.Mynetworks)
	t.preopenDomains("relay_domains", p.Str("relay_domains"))
	t.preopenHosts("permit_mx_backup_networks", p.List("permit_mx_backup_networks"))
	t.preopenMaps("relay_clientcerts", p.Str("relay_clientcerts"))
	t.preopenMaps("local_recipient_maps", cfg.LocalRcptMapsRaw)
	t.preopenMaps("sender_canonical_maps", cfg.SendCanonMaps)
	t.preopenMaps("recipient_canonical_maps", cfg.RcptCanonMaps)
	t.preopenMaps("canonical_maps", cfg.CanonicalMaps)
	t.preopenMaps("virtual_alias_maps", cfg.VirtAliasMaps)
	t.preopenMaps("virtual_mailbox_maps", cfg.VirtMailboxMaps)
	t.preopenMaps("relay_recipient_maps", cfg.RelayRcptMaps)
	t.preopenList(cfg.RBLReplyMaps, false)
	t.preopenMaps("smtpd_sender_login_maps", cfg.SenderLoginMaps)
	for _, list := range [][]string{cfg.ClientRestrictions, cfg.HeloRestrictions, cfg.SenderRestrictions,
		cfg.RelayRestrictions, cfg.RcptRestrictions, cfg.EtrnRestrictions, cfg.DataRestrictions, cfg.EODRestrictions} {
		t.preopenList(list, true)
	}
	for _, class := range p.List("smtpd_restriction_classes") {
		if len(cfg.RestrictionClasses[class]) == 0 {
			t.log.Fatalf("restriction class `%s' needs a definition", class)
		}
		t.preopenList(cfg.RestrictionClasses[class], true)
	}
	t.preopenList(p.List("local_header_rewrite_clients"), false)
	t.preopenHosts("debug_peer_list", p.List("debug_peer_list"))
	if cfg.SASLEnable {
		t.preopenHosts("smtpd_sasl_exceptions_networks", cfg.SASLExceptions)
	}
	if spec := p.Str("smtpd_command_filter"); spec != "" {
		_, _ = t.open(spec)
	}
}

// preopenLate opens what the real smtpd opens after flush_init: the
// EHLO keyword and milter tables, then smtpd_reject_footer_maps.
func (t *tables) preopenLate(p params, cfg *smtpd.Config) {
	t.preopenMaps("smtpd_discard_ehlo_keyword_address_maps", p.Str("smtpd_discard_ehlo_keyword_address_maps"))
	t.preopenMaps("smtpd_milter_maps", p.Str("smtpd_milter_maps"))
	t.preopenList(cfg.RejectFooterMaps, false)
}

// preopenList opens each "type:name" of a restriction list or table
// list the way the sessions will ask for it; with policy set, the word
// after check_policy_service is an endpoint, not a table.
func (t *tables) preopenList(list []string, policy bool) {
	for i, name := range list {
		if policy && i > 0 && strings.EqualFold(list[i-1], "check_policy_service") {
			continue
		}
		if strings.HasPrefix(name, "{") || !strings.Contains(name, ":") {
			continue
		}
		_, _ = t.open(name) // errors are logged, or fatal, there
	}
}

// preopenStrings opens the tables of a string list (smtpd_noop_commands,
// smtpd_forbidden_commands) the way the session's string-list match
// will ask for them.
func (t *tables) preopenStrings(list []string) {
	for _, pat := range list {
		pat = strings.TrimLeft(pat, "!")
		if strings.Contains(pat, ":") && !strings.HasPrefix(pat, "[") {
			_, _ = t.open(pat)
		}
	}
}

// preopenHosts builds a host list into the cache that the sessions use;
// a list that does not parse is left to the session, which logs it.
func (t *tables) preopenHosts(param string, patterns []string) {
	if len(patterns) > 0 {
		_, _ = t.hostList(param, patterns)
	}
}

// preopenDomains opens the tables of a domain list as flush.New opens
// those of fast_flush_domains (whose default is $relay_domains), so that
// the registry's cache has them and a broken table is logged once, as
// Postfix's name-keyed dictionary cache does.
func (t *tables) preopenDomains(param, patterns string) {
	if strings.TrimSpace(patterns) == "" {
		return
	}
	_, err := maps.NewMatchList(t.reg, param, patterns, maps.DomainList, t.parentMatch[param], t.log)
	dict.ExitIfFatal(t.log, err)
}

// preopenMaps opens a table list for address lookups into the cache
// that the sessions use (addrMaps logs what fails).
func (t *tables) preopenMaps(title, specs string) {
	if strings.TrimSpace(specs) != "" {
		_, _ = t.addrMaps(title, specs)
	}
}
