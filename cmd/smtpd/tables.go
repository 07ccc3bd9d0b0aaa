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

// preopen opens the tables named in the restriction lists, then those of
// the restriction classes, then those of local_header_rewrite_clients,
// as smtpd_check_init does when the process starts (before it serves
// anyone, and before a chroot): a table that cannot be opened is logged
// then ("error: open database ...", "error: unsupported dictionary type
// ..."), and the sessions that use it later find the same unavailable
// table in the shared cache and fail as Postfix does (451 4.3.5 Server
// configuration error). A class without a definition is fatal, as in
// Postfix, and so is a table whose open Postfix makes fatal (see open).
func (t *tables) preopen(p params, cfg *smtpd.Config) {
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
}

// preopenList opens each "type:name" of a restriction list the way the
// restrictions will ask for it; with policy set, the word after
// check_policy_service is an endpoint, not a table.
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
