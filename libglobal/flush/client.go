package flush

import (
	"io"
	"path/filepath"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Request names and reply status values (flush_clnt.h).
const (
	ReqAdd      = "add"
	ReqSendSite = "send_site"
	ReqSendFile = "send_file"
	ReqRefresh  = "rfrsh"
	ReqPurge    = "purge"

	StatFail = -1 // request failed (or the service could not be reached)
	StatOK   = 0  // request executed
	StatBad  = 3  // invalid parameter
	StatDeny = 4  // site not eligible, or the service is turned off
)

// Attribute names of the flush protocol.
const (
	AttrRequest = "request"
	AttrSite    = "site"
	AttrQueueID = "queue_id"
	AttrStatus  = "status"
)

// Matcher is a domain list (fast_flush_domains).
type Matcher interface {
	Match(site string) (bool, error)
}

// Client talks to the flush service of one Postfix instance.
type Client struct {
	// Path is the socket, $queue_directory/public/$flush_service_name;
	// Name is "public/<service>" for warnings; Service is
	// flush_service_name.
	Path, Name, Service string
	Timeout             time.Duration // ipc_timeout
	// Domains is fast_flush_domains; nil when the parameter is empty.
	Domains Matcher
	// CompatWarn makes Add and SendSite log that the eligible site is
	// only eligible through the compatibility default of relay_domains.
	CompatWarn bool
	Log        *msg.Logger
}

// New makes a client from main.cf (flush_init): queue_directory,
// flush_service_name, ipc_timeout and fast_flush_domains, whose table
// lookups are opened with reg.
func New(cfg *mailconf.Config, reg *dict.Registry, log *msg.Logger) (*Client, error) {
	c, err := NewService(cfg, log)
	if err != nil {
		return nil, err
	}
	domains, err := cfg.Str("fast_flush_domains")
	if err != nil {
		return nil, err
	}
	if len(mailconf.SplitList(domains)) > 0 {
		pdms, err := cfg.Str("parent_domain_matches_subdomains")
		if err != nil {
			return nil, err
		}
		list, err := maps.NewMatchList(reg, "fast_flush_domains", domains, maps.DomainList,
			maps.ParentMatches(pdms, "fast_flush_domains"), log)
		if err != nil {
			return nil, err
		}
		c.Domains = list
	}
	return c, nil
}

// NewService makes a client without fast_flush_domains, for callers that
// never initialise the list (postqueue -i only sends SendFile): Add and
// SendSite deny everything.
func NewService(cfg *mailconf.Config, log *msg.Logger) (*Client, error) {
	qdir, err := cfg.Str("queue_directory")
	if err != nil {
		return nil, err
	}
	service, err := cfg.Str("flush_service_name")
	if err != nil {
		return nil, err
	}
	timeout, err := cfg.Time("ipc_timeout")
	if err != nil {
		return nil, err
	}
	return &Client{Path: filepath.Join(qdir, "public", service), Name: "public/" + service,
		Service: service, Timeout: timeout, CompatWarn: compatBreak(cfg), Log: log}, nil
}

// compatBreak is warn_compat_break_flush_domains: below compatibility
// level 2, with neither relay_domains nor fast_flush_domains set, the
// list comes from the old default relay_domains = $mydestination.
func compatBreak(cfg *mailconf.Config) bool {
	v, err := cfg.Str("compatibility_level")
	if err != nil {
		return false
	}
	level, err := params.ParseCompatLevel(v)
	two, _ := params.ParseCompatLevel("2")
	return err == nil && level < two && !cfg.IsSet("relay_domains") && !cfg.IsSet("fast_flush_domains")
}

// eligible matches site against fast_flush_domains: StatOK, StatDeny
// or StatFail (lookup error).
func (c *Client) eligible(site string) int {
	if c.Domains == nil {
		return StatDeny
	}
	ok, err := c.Domains.Match(site)
	switch {
	case err != nil:
		c.Log.Warnf("%v", err)
		return StatFail
	case !ok:
		return StatDeny
	}
	return StatOK
}

// Add records that queue file id has mail deferred for site (flush_add).
func (c *Client) Add(site, id string) int {
	if st := c.eligible(site); st != StatOK {
		return st
	}
	if c.CompatWarn {
		c.Log.Infof("using backwards-compatible default setting relay_domains=$mydestination to update fast-flush logfile for domain \"%s\"", site)
	}
	return c.Command(attr.Str(AttrRequest, ReqAdd), attr.Str(AttrSite, site), attr.Str(AttrQueueID, id))
}

// SendSite asks for delivery of the mail deferred for site
// (flush_send_site, ETRN and sendmail -qR).
func (c *Client) SendSite(site string) int {
	if st := c.eligible(site); st != StatOK {
		return st
	}
	if c.CompatWarn {
		c.Log.Infof("using backwards-compatible default setting relay_domains=$mydestination to flush mail for domain \"%s\"", site)
	}
	return c.Command(attr.Str(AttrRequest, ReqSendSite), attr.Str(AttrSite, site))
}

// SendFile asks for delivery of one deferred message (flush_send_file,
// postqueue -i).
func (c *Client) SendFile(id string) int {
	return c.Command(attr.Str(AttrRequest, ReqSendFile), attr.Str(AttrQueueID, id))
}

// Refresh asks the server to flush logfiles not read for
// fast_flush_refresh_time and to remove old empty ones (flush_refresh).
func (c *Client) Refresh() int {
	if c.Domains == nil {
		return StatDeny
	}
	return c.Command(attr.Str(AttrRequest, ReqRefresh))
}

// Purge is Refresh for every logfile regardless of age (flush_purge).
func (c *Client) Purge() int {
	if c.Domains == nil {
		return StatDeny
	}
	return c.Command(attr.Str(AttrRequest, ReqPurge))
}

// Command is one mail_command_client exchange with the service; problems
// are logged as Postfix logs them and give StatFail.
func (c *Client) Command(req ...attr.Attr) int {
	conn, err := attr.Dial(c.Path, attr.Format0, c.Timeout)
	if err != nil {
		c.Log.Warnf("connect to %s: %s", c.Name, queue.Strerror(err))
		return StatFail
	}
	defer conn.Close()
	stream := c.Name + " socket" // mail_connect's relative path, as Postfix names it
	if err := conn.ReadAnnouncement(attr.ProtoFlush); err != nil {
		c.Log.Warnf("read %s: %s", stream, errText(err))
		return StatFail
	}
	if err := conn.Print(req...); err != nil {
		c.Log.Warnf("write %s: %s", stream, queue.Strerror(err))
		return StatFail
	}
	var status int
	if n, err := conn.Scan(attr.Strict, attr.RecvInt(AttrStatus, &status)); err != nil || n != 1 {
		c.Log.Warnf("write/read %s: %s", stream, errText(err))
		return StatFail
	}
	return status
}

// errText is %m after a failed exchange: the system error, or "Success"
// when the peer simply closed or sent something else.
func errText(err error) string {
	if t := queue.Strerror(err); t != "" && err != io.EOF {
		return t
	}
	return "Success"
}
