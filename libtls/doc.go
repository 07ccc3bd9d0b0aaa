// Package libtls is the TLS layer of the mail programs, Postfix's
// src/tls (tls_server.c, tls_client.c, tls_misc.c, tls_dane.c,
// tls_mgr.c, tls_proxy_*) in Go on crypto/tls: the server side as smtpd
// configures it (smtpd_tls_security_level, certificate and key files,
// protocols, client certificate requests); the client side as the SMTP
// client uses it (protocol ranges, cipher grades and exclusions, trust
// anchors, name matching, DANE TLSA matching, Postfix's verification
// error log lines, the tlsmgr(8) client and its session cache, the
// client-role request to tlsproxy(8) and the TLS context it reports);
// and the connection summary Postfix logs after a handshake.
//
// Deliberate differences, most of them because crypto/tls is not
// OpenSSL:
//
//   - Cipher lists (tls_high_cipherlist, smtp_tls_ciphers,
//     smtp_tls_exclude_ciphers, exclude= ...) are interpreted by
//     CipherSuites over the TLS 1.0-1.2 suites Go implements (ECDHE and
//     RSA key exchange, AES-CBC/GCM, ChaCha20, 3DES), with OpenSSL's
//     names, the usual aliases (HIGH, MEDIUM, kRSA, aECDSA, AESGCM,
//     SHA1, ...), "A+B", "!", "-", "+" and @STRENGTH; suites Go lacks
//     (DHE, CAMELLIA, ARIA, CCM, NULL, anonymous, RC4, export) never
//     match. As with OpenSSL, a list that selects nothing is refused,
//     and TLS 1.3 suites are not governed by it (Go chooses them).
//   - smtpd's cipher lists are not interpreted; Go's defaults are used.
//   - DH parameter files are ignored (Go uses ECDHE only); key exchange
//     groups are those OpenSSL 3.0 offers by default.
//   - Sessions kept in the tlsmgr cache are Go's, under cache IDs of
//     their own: OpenSSL programs and ours do not resume each other's.
//   - A DANE-TA record with a bare public key (selector 1, full data)
//     only matches a certificate the server sends; OpenSSL can also use
//     it as the issuer of the top of the chain.
//   - Security levels of OpenSSL (@SECLEVEL) are not modelled.
//
// Cipher names are shown in OpenSSL's spelling for the suites Go offers.
package libtls
