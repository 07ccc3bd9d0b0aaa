package main

import (
	"gopostfix/libglobal/util/dict"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/flush"
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
// (flush_send_site through libglobal/flush, which also applies
// fast_flush_domains) and maps its status to the engine's.
func flushSite(c *flush.Client) func(string) int {
	return func(site string) int {
		switch st := c.SendSite(site); st {
		case flush.StatOK:
			return smtpd.FlushOK
		case flush.StatBad:
			return smtpd.FlushBad
		case flush.StatDeny:
			return smtpd.FlushDeny
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

// freeSpace is fsspace(".") on the queue directory, where the process
// runs: statvfs's fragment size and available blocks. A failure is
// fatal, as in Postfix.
func freeSpace(s *libmaster.Server) func() (uint64, uint64) {
	return func() (uint64, uint64) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(".", &st); err != nil {
			s.Log.Fatalf("statvfs %s: %s", ".", dict.ErrnoText(err))
		}
		return uint64(st.Frsize), st.Bavail
	}
}
