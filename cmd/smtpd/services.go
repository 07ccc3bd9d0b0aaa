package main

import (
	"net"
	"path/filepath"
	"strings"
	"time"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/util/attr"
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
