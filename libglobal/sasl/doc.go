// Package sasl is the server side of SMTP AUTH, in the two forms
// Postfix's smtpd_sasl_type selects.
//
// "dovecot" (Postfix's src/xsasl/xsasl_dovecot_server.c, Server):
// smtpd connects to the Dovecot auth socket (smtpd_sasl_path), announces
// "VERSION 1 1" and its process ID, learns the mechanisms from the MECH
// lines up to DONE, and runs each AUTH exchange as AUTH / CONT / OK /
// FAIL lines with base64 payloads. Mechanisms are filtered by the
// smtpd_sasl_security_options words (noanonymous, noplaintext, noactive,
// nodictionary, mutual_auth, forward_secrecy) against the flags Dovecot
// sends.
//
// "cyrus" (xsasl_cyrus_server.c, xsasl_cyrus_log.c and
// xsasl_cyrus_security.c over Debian's libsasl2 2.1.28, Cyrus): the same
// behaviour without the library. The configuration file is
// smtpd_sasl_path + ".conf" in the first directory that has one of
// $config_directory/sasl and /usr/lib/sasl: Debian's Postfix gives
// libsasl2 that path, and it wins over cyrus_sasl_config_path (which is
// honoured, as upstream does, only when the caller gives no
// configuration directory); its
// options pwcheck_method (auxprop, saslauthd, Debian's test verifier
// alwaystrue, or several in turn),
// sasldb_path, saslauthd_path and mech_list are honoured, others are
// ignored as libsasl2 ignores what its plugins do not ask for. Passwords
// are checked against the plaintext userPassword of a sasldb file
// (Berkeley DB hash, key user NUL realm NUL "userPassword", as
// saslpasswd2 writes it; libglobal cannot link libdb, so the program
// passes compat/bdb's opener as a DBOpener) or by saslauthd over its
// socket (four length-prefixed strings: login, password, service,
// realm; an answer starting with "OK"). User names are canonicalized as
// libsasl2 does (white space trimmed, "@smtpd_sasl_local_domain"
// appended to names without '@'); the sasldb realm is what follows the
// first '@', else smtpd_sasl_local_domain or myhostname; saslauthd gets
// what follows the last '@'. Replies carry sasl_errstring's texts, and
// libsasl2's own failure messages are logged as "SASL authentication
// failure: ..." through the program's logger, in the order libsasl2
// logs them.
//
// Deliberate differences from libsasl2: only the mechanisms PLAIN,
// LOGIN, CRAM-MD5 and ANONYMOUS exist (Debian's plugins also offer
// SCRAM-SHA-*, DIGEST-MD5 and NTLM, which are left out of the EHLO list
// even when mech_list names them); auxprop reads only sasldb
// (auxprop_plugin is ignored); pwcheck_method authdaemond (Courier) is
// unknown here; an application without any mechanism
// left fails when smtpd first asks for the list (at EHLO), where the
// real smtpd fails before its greeting.
package sasl
