package main

import (
	"fmt"
	"os"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libmaster"
)

// config holds virtual(8)'s parameters.
type config struct {
	base        string // virtual_mailbox_base
	minUID      int    // virtual_minimum_uid
	strictOwner bool   // strict_mailbox_ownership
	enableOrcpt bool   // enable_original_recipient
	utf8        bool   // smtputf8_enable
	lockMask    int    // virtual_mailbox_lock
	lock        mbox.LockParams
	ownerUID    int
	ownerGID    int
	myorigin    string
}

// agent is the running virtual delivery service.
type agent struct {
	s        *libmaster.Server
	cfg      config
	layout   *queue.Layout
	status   *bounce.Client
	reg      *dict.Registry
	mailbox  *maps.Maps // virtual_mailbox_maps
	uids     *maps.Maps // virtual_uid_maps
	gids     *maps.Maps // virtual_gid_maps
	addrEnv  *maps.AddrEnv
	hostname string
}

func newAgent(s *libmaster.Server) (*agent, error) {
	c := config{base: s.Str("virtual_mailbox_base"), minUID: s.Int("virtual_minimum_uid"),
		strictOwner: s.Bool("strict_mailbox_ownership"), enableOrcpt: s.Bool("enable_original_recipient"),
		utf8: s.Bool("smtputf8_enable"),
		lock: mbox.LockParams{Tries: s.Int("deliver_lock_attempts"), Delay: s.Time("deliver_lock_delay"),
			Stale: s.Time("stale_lock_time")}}
	s.Str("virtual_mailbox_lock") // checked for its length at start-up
	g := s.Global
	var err error
	c.ownerUID, c.ownerGID, c.myorigin = g.OwnerUID, g.OwnerGID, g.Myorigin
	a := &agent{s: s, cfg: c}
	if err := setFileLimit(s); err != nil {
		return nil, err
	}
	if a.layout, err = queue.NewLayout("", s.Config); err != nil {
		return nil, err
	}
	a.reg = dict.NewRegistry(s.Log)
	stdtypes.Register(a.reg)
	maptypes.Register(a.reg)
	// The tables are opened with no_proxy: proxy: opens them directly.
	dictproxy.RegisterWith(a.reg, dictproxy.Options{Fatal: s.Log.Fatalf})
	a.reg.Params = s.Config.Param
	a.reg.UTF8 = c.utf8
	a.reg.AllowSurrogate = true
	if a.status, err = bounce.New(s.Log, s.Config, a.reg); err != nil {
		return nil, err
	}
	if err := a.status.SetFilter(a.reg, "virtual_delivery_status_filter", s.Str("virtual_delivery_status_filter")); err != nil {
		return nil, err
	}
	a.hostname, _ = os.Hostname()
	return a, nil
}

// setFileLimit makes virtual_mailbox_limit the process's file size limit.
func setFileLimit(s *libmaster.Server) error {
	limit, err := s.Config.Long("virtual_mailbox_limit")
	if err != nil {
		return err
	}
	msgLimit, err := s.Config.Long("message_size_limit")
	if err != nil {
		return err
	}
	return mbox.SetFileLimit("virtual_mailbox_limit", limit, msgLimit)
}

// mapFlags are the open flags of the three tables (no case folding: the
// address is folded already; no $number substitution; no proxy).
const mapFlags = dict.FlagLock | dict.FlagParanoid | dict.FlagUTF8Request

// postInit drops to mail_owner between deliveries, opens the tables and
// reads the lock methods.
func (a *agent) postInit() error {
	if len(a.s.Flags.Args) > 0 {
		return fmt.Errorf("unexpected command-line argument: %s", a.s.Flags.Args[0])
	}
	eugid.Set(a.cfg.ownerUID, a.cfg.ownerGID)
	var err error
	for _, m := range []struct {
		dst  **maps.Maps
		name string
	}{{&a.mailbox, "virtual_mailbox_maps"}, {&a.uids, "virtual_uid_maps"}, {&a.gids, "virtual_gid_maps"}} {
		if *m.dst, err = maps.Open(a.reg, m.name, a.s.Str(m.name), mapFlags, a.s.Log); err != nil {
			return err
		}
	}
	if a.cfg.lockMask, err = mbox.ParseLockMask(a.s.Str("virtual_mailbox_lock")); err != nil {
		return err
	}
	dest, err := maps.NewMatchList(a.reg, "mydestination", a.s.Str("mydestination"), maps.StringList, false, a.s.Log)
	if err != nil {
		return err
	}
	local := &maps.Local{Dest: dest, Addrs: append(maps.InterfaceAddrs(a.s.Str("inet_interfaces")),
		maps.InterfaceAddrs(a.s.Str("proxy_interfaces"))...)}
	a.addrEnv = &maps.AddrEnv{Delim: a.s.Str("recipient_delimiter"), MyOrigin: a.cfg.myorigin,
		DoubleBounce: a.s.Str("double_bounce_sender"), OwnReqSpecial: a.s.Bool("owner_request_special"),
		IsLocal: local.Match}
	return nil
}
