// Package haproxy reads the HAProxy PROXY protocol header (versions 1
// and 2) that an upstream proxy sends before an SMTP session, as
// Postfix's haproxy_srvr(3) (src/global/haproxy_srvr.c) does for smtpd
// and postscreen: the text form "PROXY TCP4|TCP6 client server cport
// sport\r\n" and the binary form with TCP over IPv4 or IPv6, or LOCAL
// (use the connection's own endpoints). Type-length-value extensions of
// version 2 are skipped, as Postfix does; UNKNOWN and UNIX-domain
// headers are refused.
//
// The complaints are Postfix's texts; the caller logs them after
// "haproxy read: ". Reading from the socket stays with the caller
// (postscreen peeks at a raw socket, smtpd at its buffered reader), which
// looks at no more than HeaderMax bytes and consumes Header.Len of them.
package haproxy
