// Package libtls is the TLS layer of the mail programs, Postfix's
// src/tls (tls_server.c, tls_misc.c, tls_proxy_*) in Go on crypto/tls:
// the server side as smtpd configures it (smtpd_tls_security_level,
// certificate and key files, protocols, client certificate requests)
// and the connection summary Postfix logs after a handshake.
//
// Deliberate differences: OpenSSL cipher lists (smtpd_tls_ciphers,
// smtpd_tls_exclude_ciphers, tls_high_cipherlist, ...) are not
// interpreted, Go's secure default cipher suites are used; DH parameter
// files are ignored (Go uses ECDHE only); there is no TLS session cache
// service (tlsmgr) yet, so sessions are resumed with Go's session
// tickets only. Cipher names are shown in OpenSSL's spelling for the
// suites Go offers.
package libtls
