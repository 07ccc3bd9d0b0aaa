// Package dictproxy is the client side of Postfix's proxy: table type
// (src/global/dict_proxy.c): "proxy:type:name" sends every open, lookup,
// update, delete and sequence request to the proxymap service (read-only
// opens) or the proxywrite service (read-write opens), which opens the
// inner table once for all clients (protocols.md 2.9, the 3.7 wire
// format without instance flags in replies).
//
// A table opened with dict.FlagNoProxy (part of the "paranoid" flags of
// the delivery agents) is opened directly instead, silently, as Postfix
// does.
//
// Each service has one persistent connection, reconnected on demand
// (ipc_idle, ipc_ttl). A failed exchange is retried after a second,
// without limit, as Postfix does; "invalid request" and "not configured"
// answers are fatal.
package dictproxy

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Status codes of the proxymap protocol (dict_proxy.h PROXY_STAT_*).
const (
	statOK     = 0
	statNoKey  = 1
	statRetry  = 2
	statBad    = 3
	statDeny   = 4
	statConfig = 5
)

// Services names the proxymap services (proxymap_service_name,
// proxywrite_service_name) of the instance in QueueDir.
type Services struct {
	QueueDir   string
	Proxymap   string
	Proxywrite string
	// Fatal ends the program (msg_fatal); Log.Fatalf by default.
	Fatal func(format string, args ...any)
	// Pause is the wait before another attempt (one second when 0).
	Pause time.Duration
}

// Register adds the proxy type to reg.
func Register(reg *dict.Registry, sv Services) {
	clients := map[string]*attr.Client{}
	reg.Register("proxy", func(req dict.OpenRequest) (dict.Dict, error) {
		if req.Flags&dict.FlagNoProxy != 0 {
			return reg.Open(req.Name, req.Mode, req.Flags)
		}
		var service string
		switch {
		case req.Mode&(os.O_RDWR|os.O_WRONLY) == 0:
			service = sv.Proxymap
		case req.Mode&os.O_RDWR != 0:
			service = sv.Proxywrite
		default:
			return nil, fmt.Errorf("%s: %s map open requires O_RDONLY or O_RDWR mode", req.Name, "proxy")
		}
		cl := clients[service]
		if cl == nil {
			cl = attr.NewClient(filepath.Join(sv.QueueDir, "private", service), "private/"+service,
				attr.ProtoProxymap, attr.Format0, msg.Discard())
			cl.TryLimit = 1
			clients[service] = cl
		}
		d := &proxyDict{cl: cl, service: service, log: req.Log(), fatal: sv.Fatal, pause: sv.Pause}
		if d.pause == 0 {
			d.pause = time.Second
		}
		if d.fatal == nil {
			d.fatal = req.Log().Fatalf
		}
		d.Init(req, 0)
		d.inst = req.Flags & dict.FlagInstMask
		var status, srvFlags int
		d.call("dict_proxy_open", false, []attr.Attr{attr.Str("request", "open"), attr.Str("table", req.Name),
			attr.Int("flags", int(d.inst))}, func(int) bool {
			switch status {
			case statBad:
				d.fatal("%s open failed for table \"%s\": invalid request", service, req.Name)
			case statDeny:
				d.fatal("%s service is not configured for table \"%s\"", service, req.Name)
			case statOK:
				return true
			}
			d.log.Warnf("%s open failed for table \"%s\": unexpected status %d", service, req.Name, status)
			return false
		}, attr.RecvInt("status", &status), attr.RecvInt("flags", &srvFlags))
		d.SetFlags(req.Flags&^dict.FlagImplMask | dict.Flags(srvFlags)&dict.FlagImplMask)
		return d, nil
	})
}

// proxyDict is one table behind a proxymap service.
type proxyDict struct {
	dict.Base
	cl      *attr.Client
	service string
	inst    dict.Flags
	log     *msg.Logger
	fatal   func(format string, args ...any)
	pause   time.Duration
}

// call sends a request until a complete reply arrives that done
// accepts; the warning names the operation (dict_proxy_lookup, ...).
// Failures after the first, and first failures other than a missing or
// closed server, are logged.
func (d *proxyDict) call(op string, quietFirst bool, send []attr.Attr, done func(n int) bool, targets ...attr.Recv) {
	for count := 1; ; count++ {
		n, err := d.cl.Request(send, attr.Strict, targets...)
		if err == nil && n == len(targets) {
			if done(n) {
				return
			}
		} else if !quiet(err) || quietFirst && count > 1 {
			d.log.Warnf("%s: service %s: %s", op, d.service, errText(err))
		}
		d.cl.Close()
		time.Sleep(d.pause)
	}
}

// flags are the request flags: instance flags plus the table's request
// flags.
func (d *proxyDict) flags() int { return int(d.inst | d.Flags()&dict.FlagRqstMask) }

// result maps a status to the dict result; BAD and DENY are fatal.
func (d *proxyDict) result(status int, what, key string, deny string) (bool, error, bool) {
	switch status {
	case statBad:
		d.fatal("%s %s failed for table \"%s\" %s: invalid request", d.service, what, d.Name(), key)
	case statDeny:
		d.fatal(deny, d.service, d.Name())
	case statOK:
		return true, nil, true
	case statNoKey:
		return false, nil, true
	case statRetry:
		return false, &dict.Error{Kind: dict.KindRetry, Msg: fmt.Sprintf("%s:%s: table lookup problem", "proxy", d.Name())}, true
	case statConfig:
		return false, &dict.Error{Kind: dict.KindConfig, Msg: fmt.Sprintf("%s:%s: table configuration problem", "proxy", d.Name())}, true
	}
	d.log.Warnf("%s %s failed for table \"%s\" %s: unexpected reply status %d", d.service, what, d.Name(), key, status)
	return false, nil, false
}

func (d *proxyDict) Lookup(key string) (string, bool, error) {
	var status int
	var value string
	var ok bool
	var err error
	d.call("dict_proxy_lookup", true, []attr.Attr{attr.Str("request", "lookup"), attr.Str("table", d.Name()),
		attr.Int("flags", d.flags()), attr.Str("key", key)}, func(int) bool {
		var done bool
		ok, err, done = d.result(status, "lookup", fmt.Sprintf("key \"%s\"", key), "%s service is not configured for table \"%s\"")
		return done
	}, attr.RecvInt("status", &status), attr.RecvStr("value", &value))
	if !ok {
		value = ""
	}
	return value, ok, err
}

func (d *proxyDict) Update(key, value string) error {
	var status int
	var err error
	d.call("dict_proxy_update", true, []attr.Attr{attr.Str("request", "update"), attr.Str("table", d.Name()),
		attr.Int("flags", d.flags()), attr.Str("key", key), attr.Str("value", value)}, func(int) bool {
		var done, ok bool
		ok, err, done = d.result(status, "update", fmt.Sprintf("key \"%s\"", key), "%s update access is not configured for table \"%s\"")
		if done && !ok && err == nil {
			err = &dict.Error{Kind: dict.KindNone, Msg: "update failed"}
		}
		return done
	}, attr.RecvInt("status", &status))
	return err
}

func (d *proxyDict) Delete(key string) (bool, error) {
	var status int
	var ok bool
	var err error
	d.call("dict_proxy_delete", true, []attr.Attr{attr.Str("request", "delete"), attr.Str("table", d.Name()),
		attr.Int("flags", d.flags()), attr.Str("key", key)}, func(int) bool {
		var done bool
		ok, err, done = d.result(status, "delete", fmt.Sprintf("key \"%s\"", key), "%s update access is not configured for table \"%s\"")
		return done
	}, attr.RecvInt("status", &status))
	return ok, err
}

func (d *proxyDict) Sequence(op dict.SeqOp) (string, string, bool, error) {
	var status int
	var key, value string
	var ok bool
	var err error
	d.call("dict_proxy_sequence", true, []attr.Attr{attr.Str("request", "sequence"), attr.Str("table", d.Name()),
		attr.Int("flags", d.flags()), attr.Int("function", int(op))}, func(int) bool {
		var done bool
		ok, err, done = d.result(status, "sequence", fmt.Sprintf("function %d", int(op)), "%s service is not configured for table \"%s\"")
		return done
	}, attr.RecvInt("status", &status), attr.RecvStr("key", &key), attr.RecvStr("value", &value))
	return key, value, ok, err
}

func (d *proxyDict) Close() error { return nil }
