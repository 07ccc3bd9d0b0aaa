package main

import (
	"net"
	"net/netip"
	"os"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/scache"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/namemask"
	"gopostfix/libmaster"
)

// Delivery request flags that ask for connection caching.
const (
	deliverConnLoad  = deliver.FlagConnLoad
	deliverConnStore = deliver.FlagConnStore
)

// agent is one smtp or lmtp process: its configuration and the clients
// and tables it keeps open between requests.
type agent struct {
	s        *libmaster.Server
	log      *msg.Logger
	cfg      *config
	par      params
	layout   *queue.Layout
	status   *bounce.Client
	resolver *dns.Resolver
	reg      *dict.Registry
	ownAddrs []netip.Addr

	ehloMaps  *maps.Maps
	cacheDest *maps.MatchList
	generic   *genericMapper
	// headerChecks and bodyChecks are smtp_*header_checks and
	// smtp_body_checks; replyFilter is smtp_reply_filter.
	headerChecks, bodyChecks *hbcChecks
	replyFilter              dict.Dict
	dnsFilter                dns.RRFilter // smtp_dns_reply_filter
	pixMaps                  *maps.Maps   // smtp_pix_workaround_maps
	// dnssecSeen: a validated reply was seen; dnssecProbed: the
	// dnssec_probe lookup was made (DNS_SEC_FLAG_*).
	dnssecSeen, dnssecProbed bool
	scache                   *scache.Client
	tlsc                     *tlsClient
	// tlsPolicyMaps is smtp_tls_policy_maps; tlsPolicies caches the
	// policies computed per nexthop, server and port.
	tlsPolicyMaps  *maps.Maps
	tlsPolicies    map[string]*tlsPolicy
	tlsPerSite     *maps.Maps // smtp_tls_per_site, without policy maps
	saslPasswd     *maps.Maps
	saslMechFilter *maps.MatchList
	notifyMask     int
	doubleBounce   string
	// ownerUID and ownerGID are mail_owner's, for mark_corrupt.
	ownerUID, ownerGID int
	// cliFlags are the flags=DORX of master.cf.
	cliFlags int
}

// newAgent reads the configuration and opens tables (pre_init and
// post_init of smtp.c).
func newAgent(s *libmaster.Server, lmtp bool) (*agent, error) {
	g := s.Global
	cfg, err := loadConfig(s, lmtp)
	if err != nil {
		return nil, err
	}
	a := &agent{s: s, log: s.Log, cfg: cfg, par: params{s: s, lmtp: lmtp},
		resolver: dns.FromResolvConf("/etc/resolv.conf"), doubleBounce: s.Str("double_bounce_sender"),
		ownerUID: g.OwnerUID, ownerGID: g.OwnerGID}
	if a.layout, err = queue.NewLayout("", s.Config); err != nil {
		return nil, err
	}
	a.reg = dict.NewRegistry(s.Log)
	a.reg.AllowSurrogate = true
	stdtypes.Register(a.reg)
	maptypes.Register(a.reg)
	// proxy: tables go through the proxymap service (dict_proxy.c), as
	// in every Postfix daemon; what Postfix reports there with msg_fatal
	// (a table proxymap refuses) ends the process.
	dictproxy.RegisterWith(a.reg, dictproxy.Options{Fatal: s.Log.Fatalf})
	a.reg.Params = s.Config.Param
	if a.status, err = bounce.New(s.Log, s.Config, a.reg); err != nil {
		return nil, err
	}
	filterName := a.par.name("smtp_delivery_status_filter")
	if err := a.status.SetFilter(a.reg, filterName, s.Str(filterName)); err != nil {
		return nil, err
	}
	a.ownAddrs = ownAddrs(cfg)
	if cfg.ehloDiscardMaps != "" {
		if a.ehloMaps, err = maps.Open(a.reg, a.par.name("smtp_discard_ehlo_keyword_address_maps"), cfg.ehloDiscardMaps, dict.FlagLock, s.Log); err != nil {
			return nil, err
		}
	}
	if err := a.openContentTables(); err != nil {
		return nil, err
	}
	if err := a.openPixMaps(); err != nil {
		return nil, err
	}
	if err := a.parseCLI(s.Flags.Args); err != nil {
		return nil, err
	}
	if cfg.cacheDest != "" {
		if a.cacheDest, err = maps.NewMatchList(a.reg, "smtp_connection_cache_destinations", cfg.cacheDest,
			maps.StringList, false, s.Log); err != nil {
			return nil, err
		}
	}
	if cfg.cacheDest != "" || cfg.cacheDemand {
		a.scache = scache.New(cfg.scacheService, cfg.scacheProtoTimeout, s.Log)
		a.scache.MaxIdle, a.scache.MaxTTL = cfg.ipcIdle, cfg.ipcTTL
	}
	if a.notifyMask, err = namemask.Parse("notify_classes", postmail.ErrorClassNames, s.Str("notify_classes")); err != nil {
		return nil, err
	}
	if a.tlsc, err = newTLSClient(a); err != nil {
		return nil, err
	}
	if err := a.initSASL(); err != nil {
		return nil, err
	}
	return a, nil
}

// p reads a parameter of the personality.
func p(a *agent, name string) string { return a.par.str(name) }

// fatal logs and exits, as msg_fatal.
func (a *agent) fatal(format string, args ...any) {
	a.log.Fatalf(format, args...)
	os.Exit(1)
}

// serve handles one connection from qmgr (smtp_service).
func (a *agent) serve(c net.Conn) {
	if a.scache != nil {
		// The connection cache client's housekeeping, which Postfix
		// does in the event loop while it waits for this request.
		a.scache.Idle()
	}
	err := deliver.Serve(c, a.layout, a.log, a.s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		return a.deliver(ag.File, req), nil
	})
	if err != nil {
		a.fatal("%v", err)
	}
	if t := a.reg.Changed(); t != "" {
		a.log.Infof("table %s has changed -- restarting", t)
		a.s.Exit()
	}
}

// deliver delivers one request (deliver_message).
func (a *agent) deliver(src *os.File, req *deliver.Request) int {
	if req.Nexthop == "" {
		a.fatal("empty nexthop hostname")
	}
	if len(req.Rcpts) <= 0 {
		a.fatal("recipient count: %d", len(req.Rcpts))
	}
	if status, done := a.checkCLI(src, req); done {
		return status
	}
	st := newState(a, req, src, a.s.Name)
	return st.connect()
}

// ehloDiscardWords are the EHLO keywords to ignore for a server address.
func (a *agent) ehloDiscardWords(addr string) (string, error) {
	if a.ehloMaps != nil {
		v, found, err := a.ehloMaps.Find(addr, false)
		if err != nil {
			return "", err
		}
		if found {
			return v, nil
		}
	}
	return a.cfg.ehloDiscard, nil
}

// openContentTables opens smtp_generic_maps, the header and body
// checks and smtp_reply_filter (post_init).
func (a *agent) openContentTables() (err error) {
	if a.generic, err = newGenericMapper(a); err != nil {
		return err
	}
	if a.headerChecks, err = newHBC(a, "smtp_header_checks", "smtp_mime_header_checks", "smtp_nested_header_checks"); err != nil {
		return err
	}
	if a.bodyChecks, err = newHBC(a, "smtp_body_checks"); err != nil {
		return err
	}
	if v := p(a, "smtp_reply_filter"); v != "" {
		if a.replyFilter, err = a.reg.Shared(v, os.O_RDONLY, dict.FlagLock|dict.FlagFoldFix); err != nil {
			return err
		}
	}
	return a.openDNSFilter()
}

// prepareSession gives a new session what its chat functions need.
func (a *agent) prepareSession(s *session, queueID string) {
	s.lmtp, s.lineLimit, s.queueID, s.helpful = a.cfg.lmtp, a.cfg.lineLimit, queueID, a.cfg.helpful
	s.ehloDiscardMapsName = a.par.name("smtp_discard_ehlo_keyword_address_maps")
	s.replyFilter = a.replyFilter
}
