package main

import (
	"net"
	"path/filepath"
	"strings"
	"time"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/verify"
	"gopostfix/libmaster"
)

// dialPolicy connects to a check_policy_service endpoint: "inet:host:port",
// "unix:path" or a bare path, relative paths under the queue directory.
func dialPolicy(queueDir string) func(string, time.Duration) (net.Conn, error) {
	return func(endpoint string, timeout time.Duration) (net.Conn, error) {
		network, addr := "unix", endpoint
		if t, rest, ok := strings.Cut(endpoint, ":"); ok && (t == "inet" || t == "unix") {
			network, addr = t, rest
		}
		if network == "inet" {
			network = "tcp"
		} else if !filepath.IsAbs(addr) {
			addr = filepath.Join(queueDir, addr)
		}
		return net.DialTimeout(network, addr, timeout)
	}
}

// flushSite asks the fast flush service to deliver a site's mail
// (flush_send_site; protocols.md 2.7).
func flushSite(queueDir, service string, timeout time.Duration) func(string) int {
	return func(site string) int {
		var status int
		n, err := attr.Call(filepath.Join(queueDir, "public", service), "queue_flush_protocol", attr.Format0, timeout,
			[]attr.Attr{attr.Str("request", "send_site"), attr.Str("site", site)}, attr.Strict,
			attr.RecvInt("status", &status))
		if err != nil || n != 1 {
			return smtpd.FlushFail
		}
		switch status {
		case smtpd.FlushOK, smtpd.FlushBad, smtpd.FlushDeny:
			return status
		}
		return smtpd.FlushFail
	}
}

// verifyService adapts the verify client (libglobal/verify) to the
// engine: Postfix's verify_clnt_query with ipc_timeout, ipc_idle and
// ipc_ttl.
type verifyService struct{ c *verify.Client }

func newVerifyService(s *libmaster.Server, p params) verifyService {
	c := verify.NewClient(s.QueueDir, p.Str("address_verify_service_name"), s.Log)
	c.Limits(s.IPCTimeout, p.Time("ipc_idle"), p.Time("ipc_ttl"))
	return verifyService{c}
}

func (v verifyService) Query(addr string) (int, int, string) { return v.c.Query(addr) }
func (v verifyService) Service() string                      { return v.c.Service }
