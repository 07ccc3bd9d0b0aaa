package main

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/dictcache"
	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libmaster"
)

// probeTTL is how long a probe may be outstanding before another one is
// sent for the same address (PROBE_TTL).
const probeTTL = 1000

// config holds verify(8)'s parameters.
type config struct {
	mapName    string        // address_verify_map
	posExpire  int64         // address_verify_positive_expire_time
	posRefresh int64         // address_verify_positive_refresh_time
	negExpire  int64         // address_verify_negative_expire_time
	negRefresh int64         // address_verify_negative_refresh_time
	negCache   bool          // address_verify_negative_cache
	scanCache  time.Duration // address_verify_cache_cleanup_interval
	sender     string        // address_verify_sender
	senderTTL  int64         // address_verify_sender_ttl
}

// verifier is the running service.
type verifier struct {
	s       *libmaster.Server
	cfg     config
	cache   *dictcache.Cache
	rewrite *rewrite.Client
	post    postmail.Params
	now     func() time.Time
	// sendProbe submits a probe (probe; tests replace it).
	sendProbe func(addr string)
}

func newVerifier(s *libmaster.Server) (*verifier, error) {
	secs := func(name string) int64 { return int64(s.Time(name) / time.Second) }
	c := config{mapName: s.Str("address_verify_map"), sender: s.Str("address_verify_sender"),
		negCache: s.Bool("address_verify_negative_cache"), scanCache: s.Time("address_verify_cache_cleanup_interval"),
		posExpire: secs("address_verify_positive_expire_time"), posRefresh: secs("address_verify_positive_refresh_time"),
		negExpire: secs("address_verify_negative_expire_time"), negRefresh: secs("address_verify_negative_refresh_time"),
		senderTTL: secs("address_verify_sender_ttl")}
	v := &verifier{s: s, cfg: c, now: time.Now,
		rewrite: rewrite.NewClient(".", s.Str("rewrite_service_name"), s.Log),
		post: postmail.Params{QueueDir: ".", CleanupService: s.Str("cleanup_service_name"),
			Myhostname: s.Str("myhostname"), MailName: s.Str("mail_name"),
			FilterClasses: s.Str("internal_mail_filter_classes"), AutoUTF8Classes: s.Str("smtputf8_autodetect_classes"),
			Timeout: s.IPCTimeout, Now: time.Now}}
	v.sendProbe = v.probe
	// Stay in our session, so that master's signals to its process
	// group cannot interrupt a table update.
	syscall.Setsid()
	if err := v.openCache(); err != nil {
		return nil, err
	}
	return v, nil
}

// openFlags are the cache's open flags (VERIFY_DICT_OPEN_FLAGS).
const openFlags = dict.FlagDupReplace | dict.FlagSyncUpdate | dict.FlagOpenLock | dict.FlagUTF8Request

// openCache opens address_verify_map read-write as mail_owner with umask
// 022, so that no root-owned file holds untrusted data; an empty value
// means a table in memory.
func (v *verifier) openCache() error {
	g := v.s.Global
	var err error
	reg := dict.NewRegistry(v.s.Log)
	stdtypes.Register(reg)
	maptypes.Register(reg)
	dictproxy.RegisterWith(reg, dictproxy.Options{Fatal: v.s.Log.Fatalf})
	reg.Params = v.s.Config.Param
	reg.UTF8 = v.s.Bool("smtputf8_enable")
	// A daemon keeps running with a table it cannot open; each use
	// then fails (dict_surrogate).
	reg.AllowSurrogate = true
	name := "internal:verify"
	if v.cfg.mapName != "" {
		name = dictcache.DataRedirectMap(v.cfg.mapName, dictcache.RedirectEnv{OwnerUID: g.OwnerUID,
			Owner: v.s.Str("mail_owner"), DataDir: v.s.Str("data_directory"),
			DBType: v.s.Str("default_database_type"), Log: v.s.Log})
	}
	var db dict.Dict
	asUser(g.OwnerUID, g.OwnerGID, func() {
		old := syscall.Umask(022)
		db, err = reg.Open(name, os.O_CREATE|os.O_RDWR, openFlags)
		syscall.Umask(old)
	})
	if err != nil {
		return err
	}
	v.cache = dictcache.New(name, db, v.s.Log)
	return nil
}

// postInit keeps a memory-only cache alive (no use or idle limits) and
// starts the cleanup scans.
func (v *verifier) postInit() error {
	if len(v.s.Flags.Args) > 0 {
		return fmt.Errorf("unexpected command-line argument: %s", v.s.Flags.Args[0])
	}
	if v.cfg.mapName == "" {
		v.s.NoLimits()
	}
	// A one-shot server (-S) ends before Postfix's event loop would
	// ever run the scan.
	if v.cfg.scanCache > 0 {
		v.cache.StartCleanup(v.cfg.scanCache, v.valid, true, !v.s.Flags.StandAlone)
	}
	return nil
}

// close ends the cleanup scan and closes the cache (verify_dump).
func (v *verifier) close() {
	if v.cache != nil {
		v.cache.Close()
		v.cache = nil
	}
}

// asUser runs fn with the effective IDs uid/gid and restores them
// (SAVE_AND_SET_EUGID / RESTORE_SAVED_EUGID).
func asUser(uid, gid int, fn func()) {
	euid, egid := syscall.Geteuid(), syscall.Getegid()
	if euid != 0 {
		fn()
		return
	}
	syscall.Setegid(gid)
	syscall.Seteuid(uid)
	defer func() {
		syscall.Seteuid(euid)
		syscall.Setegid(egid)
	}()
	fn()
}
