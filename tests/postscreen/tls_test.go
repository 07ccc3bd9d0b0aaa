package postscreen

import (
	"bufio"
	"crypto/tls"
	"strings"
	"sync"
	"time"

	"gopostfix/tests/internal/testcert"
)

var (
	certOnce        sync.Once
	certPEM, keyPEM string
)

// testCert makes one self-signed certificate for the tlsproxy of every
// instance.
func testCert() (string, string) {
	certOnce.Do(func() {
		var err error
		if certPEM, keyPEM, err = testcert.SelfSigned("mx.delivspec.example"); err != nil {
			panic(err)
		}
	})
	return certPEM, keyPEM
}

// startTLS switches the client to TLS after "220 Ready to start TLS".
func (c *client) startTLS() {
	if len(c.lines) == 0 || !strings.HasPrefix(c.lines[len(c.lines)-1], "S: 220 ") {
		return
	}
	tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true, ServerName: "mx.delivspec.example"})
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		c.lines = append(c.lines, "TLS handshake failed")
		return
	}
	c.lines = append(c.lines, "TLS handshake done")
	c.conn, c.r = tc, bufio.NewReader(tc)
}
