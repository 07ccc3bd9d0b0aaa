package dictproxy

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

// Reply status values (PROXY_STAT_*).
const (
	statOK     = 0
	statNoKey  = 1
	statRetry  = 2
	statBad    = 3
	statDeny   = 4
	statConfig = 5
)

// Options adapt the client to the program that uses it.
type Options struct {
	// BrokenPipe runs when a request cannot be sent because the server
	// closed the connection. Postfix's commands do not ignore SIGPIPE and
	// die of it there, silently; its daemons ignore the signal, and so
	// does the client when BrokenPipe is nil: it retries.
	BrokenPipe func()
	// Fatal, when set, receives what Postfix reports with msg_fatal
	// (BAD and DENY replies, the last failed connect) as it happens:
	// daemons pass their logger's Fatalf and end there, as Postfix's do.
	// When nil (or when Fatal returns), the failure comes back as a
	// dict.KindFatal error for the caller to report.
	Fatal func(format string, args ...any)
}

// client holds the two shared streams of one registry.
type client struct {
	read, write *stream
	sleep       func(time.Duration)
	opts        Options
}

// Register makes "proxy" a default type of r (dict.Registry's
// RegisterDefault), with the daemons' behaviour: a program that must open
// proxy:type:name tables differently can register its own.
func Register(r *dict.Registry) {
	c := &client{sleep: time.Sleep}
	r.RegisterDefault("proxy", c.open)
}

// RegisterWith registers "proxy" with options, replacing a default.
func RegisterWith(r *dict.Registry, o Options) {
	c := &client{sleep: time.Sleep, opts: o}
	r.Register("proxy", c.open)
}

// timeParam reads a time parameter in seconds, with def when it is bad.
func timeParam(req dict.OpenRequest, name, def string) time.Duration {
	n, ok := mailconf.ConvTime(req.Param(name, def), 's')
	if !ok {
		n, _ = mailconf.ConvTime(def, 's')
	}
	return time.Duration(n) * time.Second
}

// streamFor returns the registry's shared stream for the request's mode,
// creating it on first use.
func (c *client) streamFor(req dict.OpenRequest) (*stream, error) {
	var ps **stream
	var service string
	switch {
	case req.Mode == os.O_RDONLY:
		ps, service = &c.read, req.Param("proxymap_service_name", "proxymap")
	case req.Mode&os.O_RDWR == os.O_RDWR:
		ps, service = &c.write, req.Param("proxywrite_service_name", "proxywrite")
	default:
		return nil, &dict.Error{Kind: dict.KindFatal,
			Msg: fmt.Sprintf("%s: proxy map open requires O_RDONLY or O_RDWR mode", req.Name)}
	}
	if *ps == nil {
		*ps = &stream{
			class:   servicePrefix(req.Param("queue_directory", "/var/spool/postfix"), service),
			service: service,
			timeout: timeParam(req, "ipc_timeout", "3600s"),
			idle:    timeParam(req, "ipc_idle", "5s"),
			ttl:     timeParam(req, "ipc_ttl", "1000s"),
			log:     req.Log(),
			sleep:   c.sleep,

			brokenPipe: c.opts.BrokenPipe,
			fatal:      c.opts.Fatal,
		}
	}
	return *ps, nil
}

// proxyDict is one proxy:type:name table (DICT_PROXY). Its name is
// "type:name", the table the server opens.
type proxyDict struct {
	dict.Base
	s         *stream
	instFlags dict.Flags // the instance flags given to open
}

// open is dict_proxy_open: it asks the server to open the table and takes
// the server table's type flags.
func (c *client) open(req dict.OpenRequest) (dict.Dict, error) {
	if req.Flags&dict.FlagNoProxy != 0 {
		return req.Registry.Open(req.Name, req.Mode, req.Flags)
	}
	s, err := c.streamFor(req)
	if err != nil {
		return nil, err
	}
	d := &proxyDict{s: s, instFlags: req.Flags & dict.FlagInstMask}
	d.Init(req, 0)
	d.SetOwner(dict.Owner{Status: dict.OwnerUnknown, UID: ^uint32(0)})
	var status, serverFlags int
	err = d.exchange("dict_proxy_open", true,
		[]attr.Attr{attr.Str("request", "open"), attr.Str("table", d.Name()), attr.Int("flags", int(d.instFlags))},
		[]attr.Recv{attr.RecvInt("status", &status), attr.RecvInt("flags", &serverFlags)},
		func() (bool, error) {
			d.Log().Debugf("dict_proxy_open: connect to map=%s status=%d server_flags=%s",
				d.Name(), status, dict.Flags(serverFlags))
			switch status {
			case statBad:
				return false, d.fatalf("%s open failed for table \"%s\": invalid request", s.service, d.Name())
			case statDeny:
				return false, d.fatalf("%s service is not configured for table \"%s\"", s.service, d.Name())
			case statOK:
				return false, nil
			}
			d.Log().Warnf("%s open failed for table \"%s\": unexpected status %d", s.service, d.Name(), status)
			return true, nil
		})
	if err != nil {
		return nil, err
	}
	d.SetFlags(req.Flags&^dict.FlagImplMask | dict.Flags(serverFlags)&dict.FlagImplMask)
	return d, nil
}

// requestFlags are sent with each request: the instance flags plus the
// table's current request flags.
func (d *proxyDict) requestFlags() dict.Flags {
	return d.instFlags | d.Flags()&dict.FlagRqstMask
}

func (d *proxyDict) fatalf(format string, args ...any) error {
	return &dict.Error{Kind: dict.KindFatal, Msg: fmt.Sprintf(format, args...)}
}

// statusError turns a RETRY or CONFIG status into the table's error.
func (d *proxyDict) statusError(status int, op string) error {
	kind := dict.KindRetry
	if status == statConfig {
		kind = dict.KindConfig
	}
	return &dict.Error{Kind: kind, Msg: fmt.Sprintf("table %s: %s error reported by the %s service", d.Label(), op, d.s.service)}
}

// exchange sends one request and reads its reply, retrying every second
// while the exchange fails on the wire or decide asks for another try
// (an unexpected status). Failures are reported as dict_proxy.c does:
// from the second try on, or right away for a system error other than
// EPIPE and ENOENT (opening: for any error but those two).
func (d *proxyDict) exchange(myname string, opening bool, send []attr.Attr, recv []attr.Recv,
	decide func() (retry bool, err error)) error {
	s := d.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for count := 1; ; count++ {
		c, err := s.access()
		if dict.KindOf(err) == dict.KindFatal {
			return s.fail(err)
		}
		if c != nil {
			var n int
			err = c.Print(send...)
			if errnoOf(err) == syscall.EPIPE && s.brokenPipe != nil {
				s.brokenPipe()
			}
			if err == nil {
				if n, err = c.Scan(attr.Strict, recv...); err == nil && n != len(recv) {
					err = fmt.Errorf("short reply")
				}
			}
		}
		if err == nil {
			retry, derr := decide()
			if !retry {
				return s.fail(derr)
			}
		} else {
			e := errnoOf(err)
			warn := count > 1 || !quiet(err)
			if opening {
				warn = e != syscall.EPIPE && e != syscall.ENOENT
			}
			if warn || s.log != nil && s.log.Verbose > 0 {
				s.log.Warnf("%s: service %s: %s", myname, s.service, errnoText(err))
			}
		}
		s.close()
		s.sleep(retryPause)
	}
}
