package main

import (
	"fmt"
	"os"
	"slices"
	"syscall"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/dictcache"
	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/logevent"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libmaster"
)

// preInit opens the tables before the privilege drop (pre_jail_init).
func (sc *screen) preInit(s *libmaster.Server) error {
	sc.srv, sc.log = s, s.Log
	sc.clients = map[string]*clientInfo{}
	sc.latency = newLatencyWatch()
	sc.scores = map[string]*dnsblScore{}
	cfg, err := readConfig(s)
	if err != nil {
		return err
	}
	sc.cfg = cfg
	for _, w := range cfg.warnings {
		sc.log.Warnf("%s", w)
	}
	sc.reg = maptypes.NewRegistry(sc.log)
	sc.reg.Params = s.Config.Param
	sc.reg.UTF8 = cfg.smtputf8
	sc.reg.AllowSurrogate = true
	if sc.acl, err = newAccessList(sc.reg, "postscreen_access_list", cfg.accessList, cfg.mynetworks, sc.log); err != nil {
		return err
	}
	if cfg.accessList == "" {
		sc.acl = nil
	}
	if cfg.forbidden != "" {
		if sc.forbidden, err = maps.NewMatchList(sc.reg, "postscreen_forbidden_commands", cfg.forbidden,
			maps.StringList, false, sc.log); err != nil {
			return err
		}
	}
	var reply dict.Dict
	if cfg.dnsblReplyMap != "" {
		if reply, err = sc.reg.Open(cfg.dnsblReplyMap, os.O_RDONLY, dict.FlagDupWarn); err != nil {
			return err
		}
	}
	if _, err := syscall.Setsid(); err != nil {
		sc.log.Warnf("setsid: %s", dict.ErrnoText(err))
	}
	if cfg.cacheMap != "" {
		if err := sc.openCache(s); err != nil {
			return err
		}
	}
	if cfg.ehloDiscardMaps != "" {
		if sc.ehloMaps, err = maps.Open(sc.reg, "postscreen_discard_ehlo_keyword_address_maps",
			cfg.ehloDiscardMaps, dict.FlagLock, sc.log); err != nil {
			return err
		}
	}
	sc.ehloMask = ehlomask.Mask(cfg.ehloDiscardWords)
	if cfg.cmdFilter != "" {
		if sc.cmdFilter, err = sc.reg.Open(cfg.cmdFilter, os.O_RDONLY, dict.FlagLock|dict.FlagFoldFix); err != nil {
			return err
		}
	}
	if cfg.rejFooterMaps != "" {
		// Postfix titles this list after the smtpd parameter.
		if sc.footerMaps, err = maps.Open(sc.reg, "smtpd_reject_footer_maps", cfg.rejFooterMaps, dict.FlagLock, sc.log); err != nil {
			return err
		}
	}
	sc.dnsblReply = reply
	return nil
}

// openCache opens postscreen_cache_map as mail_owner, so that the file
// is not owned by root.
func (sc *screen) openCache(s *libmaster.Server) error {
	g := s.Global
	var err error
	name := dictcache.DataRedirectMap(sc.cfg.cacheMap, dictcache.RedirectEnv{OwnerUID: g.OwnerUID,
		Owner: s.Str("mail_owner"), DataDir: s.Str("data_directory"), DBType: s.Str("default_database_type"), Log: sc.log})
	var db dict.Dict
	eugid.As(g.OwnerUID, g.OwnerGID, func() {
		db, err = sc.reg.Open(name, os.O_CREATE|os.O_RDWR, cacheOpenFlags)
	})
	if err != nil {
		return err
	}
	sc.cache = dictcache.New(name, db, sc.log)
	return nil
}

// cacheOpenFlags are PSC_DICT_OPEN_FLAGS.
const cacheOpenFlags = dict.FlagDupReplace | dict.FlagSyncUpdate | dict.FlagOpenLock | dict.FlagUTF8Request

// postInit finishes the set-up after the privilege drop
// (post_jail_init).
func (sc *screen) postInit(s *libmaster.Server) error {
	cfg := sc.cfg
	s.NoUseLimit()
	protos, err := params.ParseProtocols(s.Str("inet_protocols"))
	if err != nil {
		return err
	}
	sc.ipv4, sc.ipv6 = slices.Contains(protos, "ipv4"), slices.Contains(protos, "ipv6")
	if !sc.ipv4 && !sc.ipv6 {
		return fmt.Errorf("all network protocols are disabled (inet_protocols = %s)", s.Str("inet_protocols"))
	}
	if sc.addrForm, err = logevent.New(sc.log, s.Config); err != nil {
		return err
	}
	if sc.dnsbl, err = parseDNSBLSites(cfg.dnsblSites, sc.dnsblReply); err != nil {
		return err
	}
	sc.ehloPlain = cfg.ehloReply(sc.ehloMask)
	sc.ehloTLS = cfg.ehloReply(sc.ehloMask | ehlomask.StartTLS)
	if sc.allowlistIf, err = maps.NewMatchList(sc.reg, "postscreen_allowlist_interfaces", cfg.allowlistInterfaces,
		maps.AddrList, false, sc.log); err != nil {
		return err
	}
	if sc.cache != nil && cfg.cacheScan > 0 {
		sc.cache.StartCleanup(time.Duration(cfg.cacheScan)*time.Second, sc.keepCacheEntry, true, !s.Flags.StandAlone)
	}
	sc.log.Debugf("postscreen_command_time_limit: stress=%d normal=%d lowat=%d hiwat=%d",
		cfg.cmdTimeStress, cfg.cmdTimeNormal, cfg.lowWater, cfg.highWater)
	return nil
}

// keepCacheEntry is the cleanup validator (psc_cache_validator): an
// entry goes once every test expired longer ago than
// postscreen_cache_retention_time.
func (sc *screen) keepCacheEntry(_, value string, t time.Time) bool {
	s := &session{sc: sc, info: &clientInfo{}}
	sc.parseTests(s, value, t.Unix()-int64(sc.cfg.cacheRetention))
	return s.flags&mAnyTodo == 0
}

// exit closes the cache (psc_dump).
func (sc *screen) exit() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.cache != nil {
		sc.cache.Close()
		sc.cache = nil
	}
}
