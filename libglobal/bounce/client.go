package bounce

import (
	"fmt"
	"time"

	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/logevent"
	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Request numbers (bounce.h BOUNCE_CMD_*).
const (
	CmdAppend = 0
	CmdFlush  = 1
	CmdWarn   = 2
	CmdVerp   = 3
	CmdOne    = 4
	CmdTrace  = 5
)

// Flags (bounce.h BOUNCE_FLAG_*); the low delivery-request trace flags
// travel in the same word.
const (
	FlagNone    = 0
	FlagClean   = 1 << 0 // remove the logfile on error
	FlagDelRcpt = 1 << 1 // delete the recipient from the queue file
	FlagKeep    = FlagNone
)

// NoRelay is the relay name of reports that involve no delivery agent.
const NoRelay = "none"

// Attribute names of the bounce protocol (mail_proto.h).
const (
	attrNReq      = "nrequest"
	attrFlags     = "flags"
	attrQueue     = "queue_name"
	attrQueueID   = "queue_id"
	attrEncoding  = "encoding"
	attrSMTPUTF8  = "smtputf8"
	attrSender    = "sender"
	attrEnvID     = "envelope_id"
	attrRet       = "ret_flags"
	attrVerpDelim = "verp_delimiters"
	attrStatus    = "status"
)

// Client reports delivery status to the bounce, defer, trace, verify and
// flush services of one Postfix instance.
type Client struct {
	QueueDir string
	// Service names: bounce_service_name, defer_service_name,
	// trace_service_name, verify_service_name, flush_service_name.
	BounceService, DeferService, TraceService, VerifyService, FlushService string
	SoftBounce                                                             bool          // soft_bounce
	VerifyNegCache                                                         bool          // address_verify_negative_cache
	Timeout                                                                time.Duration // ipc_timeout
	Log                                                                    *logevent.Logger
	Msg                                                                    *msg.Logger

	// Flush is the fast flush client that learns deferred mail (nil:
	// none; flush_service_name is FlushService).
	Flush *flush.Client
	// Filter is the delivery status filter (nil: none).
	Filter *maps.Maps
}

// New makes a client from main.cf. reg opens the fast_flush_domains
// tables; nil means a registry with the built-in types only.
func New(log *msg.Logger, cfg *mailconf.Config, reg *dict.Registry) (*Client, error) {
	lg, err := logevent.New(log, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{Log: lg, Msg: log}
	strs := []struct {
		p    *string
		name string
	}{
		{&c.QueueDir, "queue_directory"}, {&c.BounceService, "bounce_service_name"},
		{&c.DeferService, "defer_service_name"}, {&c.TraceService, "trace_service_name"},
		{&c.VerifyService, "address_verify_service_name"}, {&c.FlushService, "flush_service_name"},
	}
	for _, s := range strs {
		if *s.p, err = cfg.Str(s.name); err != nil {
			return nil, err
		}
	}
	if c.SoftBounce, err = cfg.Bool("soft_bounce"); err != nil {
		return nil, err
	}
	if c.VerifyNegCache, err = cfg.Bool("address_verify_negative_cache"); err != nil {
		return nil, err
	}
	if c.Timeout, err = cfg.Time("ipc_timeout"); err != nil {
		return nil, err
	}
	if reg == nil {
		reg = dict.NewRegistry(log)
	}
	if c.Flush, err = flush.New(cfg, reg, log); err != nil {
		return nil, err
	}
	return c, nil
}

// call is mail_command_client: one request to private/service, one
// status back; -1 on any failure, with Postfix's warning.
func (c *Client) call(class, service, proto string, send []attr.Attr) int {
	conn, err := attr.DialService(c.QueueDir, class, service, attr.Format0, c.Timeout)
	if err != nil {
		c.Msg.Warnf("connect to %s/%s: %s", class, service, queue.Strerror(err))
		return -1
	}
	defer conn.Close()
	path := class + "/" + service
	if err := conn.ReadAnnouncement(proto); err != nil {
		c.Msg.Warnf("read %s: %s", path, errText(err))
		return -1
	}
	if err := conn.Print(send...); err != nil {
		c.Msg.Warnf("write %s: %s", path, errText(err))
		return -1
	}
	var status int
	if n, err := conn.Scan(attr.Strict, attr.RecvInt(attrStatus, &status)); n != 1 {
		c.Msg.Warnf("write/read %s: %s", path, errText(err))
		return -1
	}
	return status
}

// errText is the %m of a failed exchange.
func errText(err error) string {
	if err == nil {
		return "Success"
	}
	if e, ok := err.(*attr.Error); ok && e.Err != nil {
		return queue.Strerror(e.Err)
	}
	return fmt.Sprint(queue.Strerror(err))
}

// AgentEnv is what the simple delivery agents (error, retry, discard)
// need besides the request: the queue layout and a status client.
type AgentEnv struct {
	Layout *queue.Layout
	Status *Client
}

// NewAgentEnv prepares an AgentEnv from main.cf.
func NewAgentEnv(log *msg.Logger, cfg *mailconf.Config) (*AgentEnv, error) {
	l, err := queue.NewLayout("", cfg)
	if err != nil {
		return nil, err
	}
	c, err := New(log, cfg, nil)
	if err != nil {
		return nil, err
	}
	return &AgentEnv{Layout: l, Status: c}, nil
}
