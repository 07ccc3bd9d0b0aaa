// Command tlsproxy is the Postfix TLS proxy (tlsproxy(8) of Postfix
// 3.7.11). In the server role postscreen(8) hands it a remote SMTP
// client after STARTTLS; in the client role smtp(8) (with
// smtp_tls_connection_reuse) hands it a connection to a remote SMTP
// server after the server's "220" to STARTTLS. tlsproxy does the TLS
// handshake and then translates between plaintext to and from its
// requester and ciphertext to and from the remote peer, so that the
// requester never runs TLS itself and smtp can cache the plaintext
// stream for the next delivery.
//
// # Protocol
//
// On a connection to the tlsproxy service (an unlimited event server),
// tlsproxy announces "tlsproxy_protocol", then reads the request
// attributes remote_endpoint, flags (1 for the server role, 2 for the
// client role, 4 to get the session summary back), timeout (handshake),
// timeout (session) and serverid, and logs "CONNECT from ENDPOINT" or
// "CONNECT to ENDPOINT". A client-role request goes on with a second
// record: the global TLS parameters, the client's TLS_CLIENT_INIT_PROPS
// (log level, certificates, CAfile/CApath, digest) and
// TLS_CLIENT_START_PROPS (level, next hop, host, namaddr, SNI,
// protocols, cipher grade and exclusions, match list, digest, DANE or
// fingerprint TLSA records). tlsproxy replies status 1 when it can play
// the role (0 makes it wait for the requester to hang up), receives the
// peer's socket as a passed descriptor and runs the handshake. In the
// client role it checks the server certificate as the level requires
// (trusted chain, names at verify and secure, digests at fingerprint,
// TLSA records at the DANE levels), logs a failed check as Postfix does,
// logs the summary with the client's log level 1 or more, and sends the
// session summary (peer names and fingerprints, level, certificate
// status, protocol, cipher, key exchange, server signature, namaddr)
// when asked. The server role logs its summary with
// tlsproxy_tls_loglevel 1 or more. Data is then relayed both ways until
// either side closes; a TLS close_notify is sent when the plaintext
// side goes away. "DISCONNECT ENDPOINT" ends every session,
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
// handshake logs Go's reason instead of OpenSSL's error queue (except
// for non-TLS data, which gets OpenSSL's words). In the client role the
// requester's settings are used as sent (after the "unexpected
// settings" warnings when they differ from tlsproxy_client_* and the
// global TLS parameters), and sessions are not cached through tlsmgr. "postfix
// reload" ends the process at once, with the sessions in progress,
// instead of finishing them in the background.
package main
