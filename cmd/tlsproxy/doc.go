// Command tlsproxy is the Postfix TLS proxy (tlsproxy(8) of Postfix
// 3.7.11) in its server role: postscreen(8) hands it a remote SMTP
// client after STARTTLS, tlsproxy does the TLS handshake and then
// translates between plaintext to and from postscreen and ciphertext to
// and from the client.
//
// # Protocol
//
// On a connection to the tlsproxy service (an unlimited event server),
// tlsproxy announces "tlsproxy_protocol", then reads the request
// attributes remote_endpoint, flags (1 for the server role), timeout
// (handshake), timeout (session) and serverid, logs "CONNECT from
// ENDPOINT", and replies status 1 when it can play the role (0 makes it
// wait for the requester to hang up). It then receives the client's
// socket as a passed descriptor, runs the handshake (the summary is
// logged with tlsproxy_tls_loglevel 1 or more), and relays data both
// ways until either side closes; a TLS close_notify is sent when the
// plaintext side goes away. "DISCONNECT ENDPOINT" ends every session,
// after "TLS handshake failed for service=ID peer=ENDPOINT" when the
// handshake did not complete.
//
// # Configuration
//
// The tlsproxy_tls_* parameters (defaulting to the smtpd_tls_* ones),
// tlsproxy_tls_security_level over tlsproxy_use_tls and
// tlsproxy_enforce_tls, and tlsproxy_watchdog_timeout.
//
// # Differences
//
// TLS is Go's crypto/tls, as in smtpd: OpenSSL cipher lists, DH
// parameter files and the TLS session cache are not used, and a failed
// handshake logs Go's reason instead of OpenSSL's error queue. The
// client role (smtp_tls_connection_reuse) is not provided: a request for
// it gets status 0, as from a tlsproxy whose client role failed to
// initialise.
package main
