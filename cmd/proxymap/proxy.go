package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// Protocol is the server's announcement.
const Protocol = "proxymap_protocol"

// Reply status values (PROXY_STAT_*).
const (
	statOK     = 0
	statNoKey  = 1
	statRetry  = 2
	statBad    = 3
	statDeny   = 4
	statConfig = 5
)

// proxy is the proxymap or proxywrite service.
type proxy struct {
	s      *libmaster.Server
	log    *msg.Logger
	reg    *dict.Registry
	writer bool
	param  string          // proxy_read_maps or proxy_write_maps
	auth   map[string]bool // approved type:name
	open   map[string]dict.Dict
}

func newProxy(s *libmaster.Server, reg *dict.Registry) (*proxy, error) {
	if len(s.Flags.Args) > 0 {
		s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
	}
	p := &proxy{s: s, log: s.Log, reg: reg, auth: map[string]bool{}, open: map[string]dict.Dict{}}
	switch s.Name {
	case "proxywrite":
		p.writer, p.param = true, "proxy_write_maps"
	case "proxymap":
		p.param = "proxy_read_maps"
	default:
		return nil, fmt.Errorf("service name must be one of %s or %s", "proxymap", "proxymap")
	}
	p.authorize(s.Str(p.param))
	if p.writer {
		syscall.Setsid()
	}
	return p, nil
}

// preAccept ends a read-only proxy whose tables changed on disk, before
// it serves another client (pre_accept).
func (p *proxy) preAccept() {
	if p.writer {
		return
	}
	if name := p.reg.Changed(); name != "" {
		p.log.Infof("table %s has changed -- restarting", name)
		os.Exit(0)
	}
}

// serve reads and answers one request.
func (p *proxy) serve(c *attr.Conn) error {
	var request string
	n, err := c.Scan(attr.More|attr.Strict, attr.RecvStr("request", &request))
	if err != nil && n == 0 && (isEOF(err) || isTimeout(err)) {
		return err
	}
	if n != 1 {
		// No request name: nothing is sent, the client may go on.
		return nil
	}
	switch request {
	case "lookup":
		err = p.lookup(c)
	case "update":
		err = p.update(c)
	case "delete":
		err = p.del(c)
	case "sequence":
		err = p.sequence(c)
	case "open":
		err = p.openReq(c)
	default:
		p.log.Warnf("unrecognized request: \"%s\", ignored", request)
		err = c.Print(attr.Int("status", statBad))
	}
	return err
}

// find returns the shared table for name and the request's instance
// flags, opening it on first use, or a status (proxy_map_find).
func (p *proxy) find(name string, flags dict.Flags) (dict.Dict, int) {
	for strings.HasPrefix(name, "proxy:") {
		name = name[len("proxy:"):]
	}
	if !strings.Contains(name, ":") {
		return nil, statBad
	}
	if !p.auth[name] {
		p.log.Warnf("request for unapproved table: \"%s\"", name)
		access := "read-only"
		if p.writer {
			access = "read-write"
		}
		p.log.Warnf("to approve this table for %s access, list %s:%s in %s:%s",
			access, "proxy", name, "main.cf", p.param)
		return nil, statDeny
	}
	key := name + ":" + (flags & dict.FlagInstMask).String()
	if d, ok := p.open[key]; ok {
		return d, statOK
	}
	mode := os.O_RDONLY
	if p.writer {
		mode = os.O_RDWR | os.O_CREATE
	}
	p.log.Debugf("proxy_map_find: %s", key)
	// The registry allows surrogates: a table that cannot be opened comes
	// back as one that logs why and fails every request with RETRY.
	d, err := p.reg.Shared(name, mode, flags)
	if err != nil { // a malformed name or a lock conflict: fatal in Postfix
		p.log.Fatalf("%s", err)
	}
	p.open[key] = d
	return d, statOK
}

// useFlags applies the request-specific flags to the shared table.
func useFlags(d dict.Dict, req, extra dict.Flags) {
	d.SetFlags(d.Flags()&^dict.FlagRqstMask | req&dict.FlagRqstMask | extra)
}

// errStatus maps a failed operation to RETRY or CONFIG.
func errStatus(err error) int {
	if dict.KindOf(err) == dict.KindRetry {
		return statRetry
	}
	return statConfig
}

// isEOF tells whether the client went away.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
