// Package smtpd is the SMTP dialogue engine of the smtpd program: Postfix
// 3.7's src/smtpd/smtpd.c (command loop, HELO/EHLO, MAIL, RCPT, DATA,
// BDAT, RSET, NOOP, VRFY, ETRN, QUIT, XCLIENT, XFORWARD), smtpd_chat.c
// (replies, error sleep, the session history and the postmaster
// notices of notify_classes), smtpd_token.c (command tokenizer),
// smtpd_haproxy.c (PROXY protocol) and the restriction engine of
// smtpd_check.c, with Postfix's reply texts and log lines.
//
// The engine serves one connection (Session.Serve) and reaches everything
// that is not its own through the small interfaces of deps.go:
// configuration values, lookup tables, host lists, the trivial-rewrite
// resolver, DNS, the cleanup service and policy servers. The program's
// main wires the real implementations; tests use fakes.
//
// Also from smtpd_check.c: the DNS-based server checks
// (check_*_{a,mx,ns}_access), the unknown sender/recipient table checks
// with recipient_delimiter (check_rcpt_maps), the sender login checks
// (smtpd_sender_login_maps), queue_minfree (smtpd_check_queue); from
// smtpd_chat.c and smtp_reply_footer.c the reject footers
// (smtpd_reject_footer, smtpd_reject_footer_maps); from
// haproxy_srvr.c the PROXY protocol versions 1 and 2;
// receive_override_options (input_transp.c); local_header_rewrite_clients
// (smtpd_check_rewrite, check_rewrite.go); and from verify_sender_addr.c
// the exemption of the address verification sender (verify_sender.go).
//
// The Milter client side of smtpd.c and smtpd_milter.c: smtpd_milters
// and smtpd_milter_maps per session, the connect, HELO/EHLO, MAIL,
// RCPT (also for rejected recipients, to Milters that want them),
// DATA, unknown command and other-command events, the milter-reject,
// milter-hold and milter-discard log lines, the Sendmail-compatible
// replies (554/421 greetings, EHLO with only ENHANCEDSTATUSCODES after
// a reject, 454 for STARTTLS), the macro values (milter.go,
// milter_macros.go), and the hand-off of the Milters to cleanup at
// DATA, with an empty list first, for the content events.
//
// The before-queue content filter of smtpd_proxy.c (proxy.go,
// proxy_xforward.go): with smtpd_proxy_filter the transaction goes to
// an SMTP filter instead of cleanup, connected at the first accepted
// recipient (or at MAIL with smtpd_delay_open_until_valid_rcpt = no),
// with smtpd_proxy_ehlo, XFORWARD when the filter announces it, the
// client's MAIL FROM and RCPT TO lines as received, DATA and the
// message still dot-stuffed under our Received: header (without queue
// ID); the filter's replies reach the client, the generic "451 4.3.0
// Error: queue file write error" replaces what cannot be passed on, and
// the proxy-accept/proxy-reject lines are logged. speed_adjust keeps the
// transaction until the message is complete. Access-table actions that
// only cleanup can carry out (FILTER, HOLD, DISCARD, REDIRECT) are then
// skipped with Postfix's warning, as at ETRN and outside a transaction.
// smtpd_command_filter rewrites each command line before it is parsed
// (cmdfilter.go).
//
// Deliberate differences from Postfix: speed_adjust keeps the
// transaction in memory, not in an unlinked file of the incoming queue
// (so it takes no queue space and its I/O errors cannot happen).
// Stand-alone mode (-S) skips the same checks as Postfix's.
package smtpd
