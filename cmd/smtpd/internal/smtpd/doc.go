// Package smtpd is the SMTP dialogue engine of the smtpd program: Postfix
// 3.7's src/smtpd/smtpd.c (command loop, HELO/EHLO, MAIL, RCPT, DATA,
// BDAT, RSET, NOOP, VRFY, ETRN, QUIT, XCLIENT, XFORWARD), smtpd_chat.c
// (replies, error sleep), smtpd_token.c (command tokenizer),
// smtpd_haproxy.c (PROXY protocol) and the restriction engine of
// smtpd_check.c, with Postfix's reply texts and log lines.
//
// The engine serves one connection (Session.Serve) and reaches everything
// that is not its own through the small interfaces of deps.go:
// configuration values, lookup tables, host lists, the trivial-rewrite
// resolver, DNS, the cleanup service and policy servers. The program's
// main wires the real implementations; tests use fakes.
//
// Deliberate differences from Postfix: no Milter support yet, no
// before-queue content proxy (smtpd_proxy_filter), no SASL and no TLS
// (STARTTLS and AUTH answer as a Postfix built without them). Stand-alone
// mode (-S) skips the same checks as Postfix's.
package smtpd
