package main

import (
	"fmt"
	"syscall"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/namemask"
	"gopostfix/libmaster"
)

// Expansion types (EXPAND_TYPE_*) and Delivered-To classes (DELIVER_HDR_*).
const (
	expAlias = 1 << 0
	expFwd   = 1 << 1
	expIncl  = 1 << 2

	hdrCmd  = 1 << 0
	hdrFile = 1 << 1
	hdrFwd  = 1 << 2

	extPropAlias   = 1 << 2
	extPropForward = 1 << 3
	extPropInclude = 1 << 4
)

// config holds local(8)'s parameters.
type config struct {
	aliasMaps        string
	homeMailbox      string
	spoolDir         string
	mailboxCommand   string
	mailboxTransport string
	fallbackTransp   string
	forwardPath      string
	lusertRelay      string
	cmdShell         string
	cmdFilter        string
	fwdFilter        string
	execDir          string
	execFilter       string
	rcptDelim        string
	exportEnviron    string
	myhostname       string
	mailName         string
	doubleBounce     string
	myorigin         string
	commandTimeLimit time.Duration
	enableOrcpt      bool
	frozenDelivered  bool
	resetOwner       bool
	strictOwner      bool
	biff             bool // biff: comsat notices for mailbox deliveries
	expandOwner      bool
	ownreqSpecial    bool
	statHomeDir      bool
	smtputf8         bool
	fileMask         int // allow_mail_to_files
	cmdMask          int // allow_mail_to_commands
	hdrMask          int // prepend_delivered_header
	extPropMask      int // propagate_unmatched_extensions
	lockMask         int // mailbox_delivery_lock
	lock             mbox.LockParams
	dupLimit         int
	ownerUID         int
	ownerGID         int
	defaultUID       int
	defaultGID       int
}

// agent is the running local delivery service.
type agent struct {
	s        *libmaster.Server
	cfg      config
	layout   *queue.Layout
	status   *bounce.Client
	reg      *dict.Registry
	aliases  []dict.Dict
	aliasMap *maps.Maps
	rewrite  *rewrite.Client
	post     postmail.Params
	addrEnv  maps.AddrEnv
	hostname string

	mboxTransp, mboxCommand, fallbackTransp userMaps
	biff                                    biffer
}

func newAgent(s *libmaster.Server) (*agent, error) {
	c := config{
		aliasMaps: s.Str("alias_maps"), homeMailbox: s.Str("home_mailbox"), spoolDir: s.Str("mail_spool_directory"),
		mailboxTransport: s.Str("mailbox_transport"), fallbackTransp: s.Str("fallback_transport"),
		cmdShell: s.Str("local_command_shell"), cmdFilter: s.Str("command_expansion_filter"),
		fwdFilter: s.Str("forward_expansion_filter"), execFilter: s.Str("execution_directory_expansion_filter"),
		rcptDelim: s.Str("recipient_delimiter"), exportEnviron: s.Str("export_environment"),
		myhostname: s.Str("myhostname"), mailName: s.Str("mail_name"), doubleBounce: s.Str("double_bounce_sender"),
		myorigin: s.Str("myorigin"), commandTimeLimit: s.Time("command_time_limit"),
		enableOrcpt: s.Bool("enable_original_recipient"), frozenDelivered: s.Bool("frozen_delivered_to"),
		resetOwner: s.Bool("reset_owner_alias"), strictOwner: s.Bool("strict_mailbox_ownership"),
		expandOwner: s.Bool("expand_owner_alias"), biff: s.Bool("biff"), ownreqSpecial: s.Bool("owner_request_special"),
		statHomeDir: s.Bool("require_home_directory"), smtputf8: s.Bool("smtputf8_enable"),
		dupLimit: s.Int("duplicate_filter_limit"),
		lock: mbox.LockParams{Tries: s.Int("deliver_lock_attempts"), Delay: s.Time("deliver_lock_delay"),
			Stale: s.Time("stale_lock_time")},
	}
	// Raw parameters: $name is expanded per recipient, not at start-up.
	raw := func(name string) string { v, _ := s.Config.Raw(name); return v }
	c.forwardPath, c.mailboxCommand, c.lusertRelay, c.execDir =
		raw("forward_path"), raw("mailbox_command"), raw("luser_relay"), raw("command_execution_directory")
	g := s.Global
	var err error
	c.ownerUID, c.ownerGID, c.defaultUID, c.defaultGID = g.OwnerUID, g.OwnerGID, g.DefaultUID, g.DefaultGID
	a := &agent{s: s, cfg: c, biff: biffer{log: s.Log},
		mboxTransp:     userMaps{param: "mailbox_transport_maps", specs: s.Str("mailbox_transport_maps"), flags: transportMapFlags},
		mboxCommand:    userMaps{param: "mailbox_command_maps", specs: s.Str("mailbox_command_maps"), flags: commandMapFlags},
		fallbackTransp: userMaps{param: "fallback_transport_maps", specs: s.Str("fallback_transport_maps"), flags: transportMapFlags},
	}
	if a.layout, err = queue.NewLayout("", s.Config); err != nil {
		return nil, err
	}
	if err := a.setFileLimit(); err != nil {
		return nil, err
	}
	a.reg = dict.NewRegistry(s.Log)
	// As every daemon (dict_allow_surrogate): a table that cannot be
	// opened fails its lookups, so that mail is deferred ("alias
	// database unavailable") instead of local dying at start-up.
	a.reg.AllowSurrogate = true
	stdtypes.Register(a.reg)
	maptypes.Register(a.reg)
	// proxy: tables go through the proxymap service (dict_proxy.c), as
	// in every Postfix daemon; what Postfix reports there with msg_fatal
	// (a table proxymap refuses) ends the process.
	dictproxy.RegisterWith(a.reg, dictproxy.Options{Fatal: s.Log.Fatalf})
	a.reg.Params = s.Config.Param
	for _, spec := range dict.TokensQ(c.aliasMaps, dict.CommaSpace, "{}") {
		d, err := a.reg.Shared(spec, syscall.O_RDONLY, aliasFlags)
		if err != nil {
			return nil, fmt.Errorf("aliases: %w", err)
		}
		a.aliases = append(a.aliases, d)
	}
	if a.aliasMap, err = maps.Open(a.reg, "alias_maps", c.aliasMaps, aliasFlags, s.Log); err != nil {
		return nil, err
	}
	if a.status, err = bounce.New(s.Log, s.Config, a.reg); err != nil {
		return nil, err
	}
	if err := a.status.SetFilter(a.reg, "local_delivery_status_filter", s.Str("local_delivery_status_filter")); err != nil {
		return nil, err
	}
	a.rewrite = rewrite.NewClient(".", s.Str("rewrite_service_name"), s.Log)
	a.post = postmail.Params{QueueDir: ".", CleanupService: s.Str("cleanup_service_name"),
		Myhostname: c.myhostname, MailName: c.mailName, AutoUTF8Classes: s.Str("smtputf8_autodetect_classes"),
		Timeout: s.IPCTimeout, Now: time.Now}
	a.addrEnv = maps.AddrEnv{Delim: c.rcptDelim, DoubleBounce: c.doubleBounce, OwnReqSpecial: c.ownreqSpecial}
	a.hostname, _ = osHostname()
	return a, nil
}

// aliasFlags are the alias_maps open flags (local.c pre_init).
const aliasFlags = dict.FlagLock | dict.FlagParanoid | dict.FlagFoldFix | dict.FlagUTF8Request

var (
	fileNames = []namemask.Name{{Name: "alias", Mask: expAlias}, {Name: "forward", Mask: expFwd}, {Name: "include", Mask: expIncl}}
	hdrNames  = []namemask.Name{{Name: "command", Mask: hdrCmd}, {Name: "file", Mask: hdrFile}, {Name: "forward", Mask: hdrFwd}}
	propNames = []namemask.Name{{Name: "canonical", Mask: 1 << 0}, {Name: "virtual", Mask: 1 << 1},
		{Name: "alias", Mask: extPropAlias}, {Name: "forward", Mask: extPropForward},
		{Name: "include", Mask: extPropInclude}, {Name: "generic", Mask: 1 << 5}}
)

// postInit drops to mail_owner for the time between deliveries and reads
// the delivery restrictions (local_mask_init).
func (a *agent) postInit() error {
	if len(a.s.Flags.Args) > 0 {
		return fmt.Errorf("unexpected command-line argument: %s", a.s.Flags.Args[0])
	}
	setEUGID(a.cfg.ownerUID, a.cfg.ownerGID)
	var err error
	c := &a.cfg
	if c.fileMask, err = namemask.Parse("allow_mail_to_files", fileNames, a.s.Str("allow_mail_to_files")); err != nil {
		return err
	}
	if c.cmdMask, err = namemask.Parse("allow_mail_to_commands", fileNames, a.s.Str("allow_mail_to_commands")); err != nil {
		return err
	}
	if c.extPropMask, err = namemask.Parse("propagate_unmatched_extensions", propNames, a.s.Str("propagate_unmatched_extensions")); err != nil {
		return err
	}
	if c.hdrMask, err = namemask.Parse("prepend_delivered_header", hdrNames, a.s.Str("prepend_delivered_header")); err != nil {
		return err
	}
	if c.lockMask, err = mbox.ParseLockMask(a.s.Str("mailbox_delivery_lock")); err != nil {
		return err
	}
	if a.s.Bool("sun_mailtool_compatibility") {
		a.s.Log.Warnf("%s: deprecated parameter, use \"%s = dotlock\" instead", "sun_mailtool_compatibility", "mailbox_delivery_lock")
		c.lockMask &= mbox.LockDot
	}
	if c.lockMask == 0 {
		return fmt.Errorf("parameter %s specifies no applicable mailbox locking method", "mailbox_delivery_lock")
	}
	return nil
}

// setFileLimit makes mailbox_size_limit the process's file size limit
// (set_file_limit), after Postfix's sanity checks.
func (a *agent) setFileLimit() error {
	mboxLimit, err := a.s.Config.Long("mailbox_size_limit")
	if err != nil {
		return err
	}
	msgLimit, err := a.s.Config.Long("message_size_limit")
	if err != nil {
		return err
	}
	return mbox.SetFileLimit("mailbox_size_limit", mboxLimit, msgLimit)
}

// request-level aliases for brevity.
type (
	request   = deliver.Request
	recipient = deliver.Recipient
)
