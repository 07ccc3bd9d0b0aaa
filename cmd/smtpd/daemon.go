package main

import (
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/compat/bdb"
	"gopostfix/libglobal/anvil"
	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/sasl"
	"gopostfix/libmaster"
)

// daemon is what smtpd sets up once per process: the configuration and
// the clients of the services every session uses.
type daemon struct {
	cfg        *smtpd.Config
	deps       smtpd.Deps
	peerLookup bool
	hosts      *hostsFile
}

// newDaemon reads the configuration and prepares the service clients
// (pre_init: before chroot, so that tables under /etc can be opened).
func newDaemon(s *libmaster.Server) (*daemon, error) {
	p := params{s}
	cfg := smtpd.NewConfig(p)
	if cfg.Err != nil {
		s.Log.Fatalf("%v", cfg.Err)
	}
	tb := newTables(s.Log, p.List("parent_domain_matches_subdomains"), p.Bool("smtputf8_enable"))
	tb.reg.Params = func(name string) (string, bool) {
		v, ok, err := s.Config.Setting(name)
		return v, ok && err == nil
	}
	tb.preopen(p, cfg)
	hosts := newHostsFile("/etc/hosts", "/etc/nsswitch.conf")
	rw := rewrite.NewClient(s.QueueDir, p.Str("rewrite_service_name"), s.Log)
	rw.Blocking()
	d := &daemon{
		cfg:        cfg,
		peerLookup: p.Bool("smtpd_peername_lookup"),
		hosts:      hosts,
		deps: smtpd.Deps{
			Log:       s.Log,
			OpenTable: tb.open,
			AddrMaps:  tb.addrMaps,
			HostList:  tb.hostList,
			Resolver:  newResolver(rw),
			DNS: dnsChecks{r: dns.FromResolvConf("/etc/resolv.conf"), hosts: hosts,
				ipv4: hasProto(p.Str("inet_protocols"), "ipv4"), ipv6: hasProto(p.Str("inet_protocols"), "ipv6")},
			Queue:      &cleanupQueue{queueDir: s.QueueDir, service: p.Str("cleanup_service_name"), timeout: s.IPCTimeout},
			DialPolicy: dialPolicy(s.QueueDir),
			Policy:     &smtpd.PolicyClients{},
			Pid:        os.Getpid(),
		},
	}
	fl, err := flush.New(s.Config, tb.reg, s.Log)
	if err != nil {
		return nil, err
	}
	d.deps.Flush = flushSite(fl)
	tb.preopenLate(p, cfg)
	if d.deps.AddrEnv, err = tb.addrEnv(p); err != nil {
		return nil, err
	}
	d.deps.FreeSpace = freeSpace(s)
	d.deps.Notify = postmasterNotice(noticeParams(s.QueueDir, p, s.IPCTimeout),
		p.Str("double_bounce_sender")+"@"+p.Str("myhostname"), s.Log)
	d.deps.NewMilters = newMilters(milterConfig(p, s.Log))
	d.deps.OwnAddr = ownAddr(maps.InterfaceAddrs(p.Str("inet_interfaces")))
	d.deps.VerifySender = verifySender(rw, p.Str("address_verify_sender"))
	d.deps.TLS = tlsServer(s, p)
	d.deps.Verify = newVerifyService(s, p)
	if cfg.SASLEnable {
		switch typ := p.Str("smtpd_sasl_type"); typ {
		case "dovecot":
			d.deps.SASL = sasl.NewServer(cfg.SASLPath, s.QueueDir, s.IPCTimeout)
		case "cyrus":
			cy, err := sasl.NewCyrus(sasl.CyrusOptions{App: cfg.SASLPath, ConfigDir: p.Str("config_directory"),
				ConfigPath: p.Str("cyrus_sasl_config_path"), Hostname: p.Str("myhostname"), Realm: p.Str("smtpd_sasl_local_domain"), Log: s.Log, Timeout: s.IPCTimeout,
				SecurityOptions: cfg.SASLSecOpts, TLSSecurityOptions: cfg.SASLTLSSecOpts,
				OpenDB: func(path string) (sasl.DB, error) {
					db, err := bdb.OpenFile(path, bdb.Options{Kind: bdb.Hash, ReadOnly: true})
					if err != nil {
						return nil, err
					}
					return db, nil
				}})
			if err != nil {
				s.Log.Warnf("SASL per-process initialization failed: %s", sasl.CyrusText(err))
				s.Log.Fatalf("SASL per-process initialization failed")
			}
			d.deps.SASL = cy
		default:
			s.Log.Fatalf("unsupported SASL server implementation: %s", typ)
		}
	}
	if cfg.ConnCountLimit > 0 || cfg.ConnRateLimit > 0 || cfg.MsgRateLimit > 0 || cfg.RcptRateLimit > 0 ||
		cfg.NewTLSRateLimit > 0 || cfg.AuthRateLimit > 0 {
		d.deps.Anvil = anvil.NewClient(s.QueueDir, "anvil", s.Log) // ANVIL_SERVICE: not configurable
	}
	return d, nil
}

// verifySender returns address_verify_sender in the local rewrite
// context, asked from trivial-rewrite once per process.
func verifySender(rw *rewrite.Client, addr string) func() string {
	cached := ""
	return func() string {
		if cached == "" {
			v, err := rw.Rewrite("local", addr)
			if err != nil {
				return addr
			}
			cached = v
		}
		return cached
	}
}

// ownAddr is own_inet_addr for permit_inet_interfaces: whether an
// address is one of own.
func ownAddr(own []netip.Addr) func(string) bool {
	return func(addr string) bool {
		a, err := netip.ParseAddr(addr)
		return err == nil && slices.Contains(own, a.Unmap())
	}
}

// hasProto reports whether inet_protocols enables a protocol.
func hasProto(protocols, proto string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(protocols), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if w == "all" || w == proto {
			return true
		}
	}
	return false
}

// serve runs one SMTP session.
func (d *daemon) serve(s *libmaster.Server, c net.Conn) {
	deps := d.deps
	client := lookupPeer(c, d.peerLookup, d.hosts, s.Log)
	ss := smtpd.NewSession(d.cfg, &deps, c, client)
	ss.StandAlone = s.Flags.StandAlone
	ss.Service = s.Name
	ss.Serve()
}
