// Command smtp is the Postfix SMTP and LMTP delivery agent: it delivers
// mail to other mail servers over the network with SMTP, or to a local
// mailbox server with LMTP.
//
// It is the Go reimplementation of smtp(8) and lmtp(8) of Postfix 3.7:
// one program with two personalities, chosen by the name it runs under
// ("lmtp" is a hard link to "smtp"). The LMTP personality reads the lmtp_
// spelling of every smtp_ parameter (lmtp_lhlo_name for smtp_helo_name).
//
// qmgr(8) hands the program one delivery request at a time: a message,
// its recipients and a next hop. The next hop is a domain, whose MX hosts
// are looked up and tried in order of preference (then its address
// records when it has no MX); "[host]" or "[address]", used without MX
// lookup; either with ":port" (25, or 24 for LMTP, by default); and for
// LMTP also "unix:/path" for a UNIX-domain socket. When no host of the
// next hop answers, smtp_fallback_relay is tried. Hosts that are this
// machine on the SMTP port are refused as a mail loop.
//
// The dialogue follows Postfix's: EHLO (or LHLO), falling back to HELO
// for SMTP; STARTTLS as smtp_tls_security_level and smtp_tls_policy_maps
// ask (none, may, encrypt, fingerprint, dane, dane-only, verify,
// secure); SASL
// authentication with smtp_sasl_password_maps when smtp_sasl_auth_enable
// is set; then MAIL FROM, RCPT TO and DATA, pipelined when the server
// offers PIPELINING, with SIZE, 8BITMIME (converting 8-bit mail to
// quoted-printable for servers without it), DSN, SMTPUTF8 and XFORWARD
// (smtp_send_xforward_command) parameters. LMTP servers answer for each
// recipient after the message.
//
// On the way out, smtp_generic_maps rewrites the envelope sender and
// recipients and the addresses of the primary sender and recipient
// headers (mail_addr_find order, results made canonical by
// trivial-rewrite(8), rewritten lists folded again);
// smtp_header_checks, smtp_mime_header_checks, smtp_nested_header_checks
// and smtp_body_checks apply the actions that make sense in a delivery
// agent (WARN, INFO, REPLACE, PREPEND, STRIP, IGNORE, DUNNO, OK; others
// are warned about and ignored). smtp_reply_filter rewrites server reply
// lines before they are parsed, and smtp_dns_reply_filter drops DNS
// records (IGNORE) before they are used.
//
// A 2xx reply delivers a recipient, a 4xx reply or a connection problem
// defers it, a 5xx reply bounces it (deferred instead with soft_bounce).
// Each recipient is reported to the bounce, defer or trace service and
// logged as Postfix does: "to=<address>, relay=host[address]:port,
// delay=..., delays=a/b/c/d, dsn=X.Y.Z, status=sent (server reply)". Idle
// connections are kept in scache(8) for later deliveries to the same
// destination when smtp_connection_cache_destinations names it or, with
// smtp_connection_cache_on_demand, when a destination has a backlog.
//
// With smtp_dns_support_level = dnssec, the dane and dane-only levels
// look up the TLSA records "_PORT._tcp.HOST" of servers whose address
// records the resolver validated (the AD bit), and authenticate the
// server with DANE-EE (usage 3) or DANE-TA (usage 2) records, full or
// SHA-256/SHA-512 digests of the certificate or its public key; a TA
// match also needs the TLSA base name or the next-hop domain in the
// certificate, and the SNI is the TLSA base name. Without DNSSEC, TLSA
// records, or usable records, dane falls back to may or encrypt and
// dane-only defers the mail, with Postfix's warnings and reasons;
// smtp_tls_dane_insecure_mx_policy decides for MX records that were not
// validated.
//
// master.cf runs the program as the smtp and relay services (and as
// lmtp); run under a name other than smtp or lmtp, it stops with a fatal
// error. The master.cf attribute flags=DORX prepends Delivered-To: (D,
// which also bounces mail whose recipient already appears in one),
// X-Original-To: (O) and Return-Path: (R) headers, the first two with
// _destination_recipient_limit = 1 only; X makes LMTP deliveries final
// (DSN "delivered" rather than "relayed", as the obsolete
// lmtp_assume_final did).
//
// A greeting made of '2', '0', '*' and white space only is taken for a
// Cisco PIX firewall: smtp_pix_workarounds (or the
// smtp_pix_workaround_maps entry of the server address) turn ESMTP off
// and, for mail older than smtp_pix_workaround_threshold_time, pause
// smtp_pix_workaround_delay_time before the final ".".
//
// With smtp_tls_connection_reuse (or connection_reuse=yes in the policy
// table), tlsproxy(8) does the TLS handshake and the certificate checks
// and relays plaintext, so that the connection can be cached in
// scache(8) and reused with TLS on ("TLS connection reused" is logged).
//
// TLS sessions are resumed through tlsmgr(8) when it caches sessions of
// the personality (smtp_tls_session_cache_database in its main.cf);
// without tlsmgr there is no entropy and TLS is disabled, as in Postfix.
// smtp_tls_ciphers, smtp_tls_mandatory_ciphers, the tls_*_cipherlist
// grades, smtp_tls_exclude_ciphers, smtp_tls_mandatory_exclude_ciphers
// and the ciphers=, exclude= and protocols= policy attributes select
// among the TLS 1.0-1.2 suites Go implements (see libtls). Without
// smtp_tls_policy_maps, the legacy smtp_tls_per_site table (NONE, MAY,
// MUST_NOPEERMATCH, MUST by next hop and server name) is used.
//
// # Differences from Postfix
//
// TLS is Go's crypto/tls (the differences are listed in libtls): OpenSSL
// cipher suites Go lacks are never offered, TLS 1.3 suites are Go's
// choice, and sessions cached in tlsmgr are not shared with OpenSSL
// programs.
// SASL offers CRAM-MD5, PLAIN and LOGIN only.
package main
