// Package anvil is the client of the anvil(8) connection and rate
// limiting service (Postfix's src/global/anvil_clnt.c): one persistent
// connection to private/anvil in the plain attribute encoding, requests
// "connect", "disconnect", "message", "recipient", "newtls",
// "newtls_status", "auth" and "lookup" for the ident "service:address".
package anvil

import (
	"fmt"
	"path/filepath"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// Protocol is the server's announcement.
const Protocol = "anvil_protocol"

// Client talks to the anvil service.
type Client struct {
	cl *attr.Client
}

// Counts is the answer to Lookup.
type Counts struct {
	Count, Rate, Mail, Rcpt, NewTLS, Auth int
}

// NewClient returns a client of queueDir/private/service (the
// anvil_service_name parameter).
func NewClient(queueDir, service string, log *msg.Logger) *Client {
	path := filepath.Join(queueDir, "private", service)
	return &Client{cl: attr.NewClient(path, "private/"+service, Protocol, attr.FormatPlain, log)}
}

// Close drops the connection; anvil then forgets the connection this
// client held.
func (c *Client) Close() { c.cl.Close() }

// Ident is the key anvil keeps state under.
func Ident(service, addr string) string { return service + ":" + addr }

func (c *Client) request(req, service, addr string, targets ...attr.Recv) error {
	var status int
	all := append([]attr.Recv{attr.RecvInt("status", &status)}, targets...)
	n, err := c.cl.Request([]attr.Attr{attr.Str("request", req), attr.Str("ident", Ident(service, addr))},
		attr.Missing|attr.Strict, all...)
	if err != nil {
		return fmt.Errorf("anvil %s: %w", req, err)
	}
	if n != len(all) || status != 0 {
		return fmt.Errorf("anvil %s: status %d", req, status)
	}
	return nil
}

// Connect registers a new connection and returns the concurrent count
// and the connection rate.
func (c *Client) Connect(service, addr string) (count, rate int, err error) {
	err = c.request("connect", service, addr, attr.RecvInt("count", &count), attr.RecvInt("rate", &rate))
	return count, rate, err
}

// Disconnect ends the connection registered by Connect.
func (c *Client) Disconnect(service, addr string) error {
	return c.request("disconnect", service, addr)
}

func (c *Client) rate(req, service, addr string) (int, error) {
	var rate int
	err := c.request(req, service, addr, attr.RecvInt("rate", &rate))
	return rate, err
}

// Mail registers a MAIL FROM and returns the message rate.
func (c *Client) Mail(service, addr string) (int, error) { return c.rate("message", service, addr) }

// Rcpt registers a RCPT TO and returns the recipient rate.
func (c *Client) Rcpt(service, addr string) (int, error) { return c.rate("recipient", service, addr) }

// NewTLS registers a new TLS session and returns that rate.
func (c *Client) NewTLS(service, addr string) (int, error) { return c.rate("newtls", service, addr) }

// NewTLSStatus returns the new TLS session rate without counting.
func (c *Client) NewTLSStatus(service, addr string) (int, error) {
	return c.rate("newtls_status", service, addr)
}

// Auth registers an AUTH command and returns the AUTH rate.
func (c *Client) Auth(service, addr string) (int, error) { return c.rate("auth", service, addr) }

// Lookup returns the current counts without changing them.
func (c *Client) Lookup(service, addr string) (Counts, error) {
	var k Counts
	err := c.request("lookup", service, addr, attr.RecvInt("count", &k.Count), attr.RecvInt("rate", &k.Rate),
		attr.RecvInt("mail", &k.Mail), attr.RecvInt("rcpt", &k.Rcpt), attr.RecvInt("newtls", &k.NewTLS),
		attr.RecvInt("auth", &k.Auth))
	return k, err
}
