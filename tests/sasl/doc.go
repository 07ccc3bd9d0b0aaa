// Package sasl compares SMTP AUTH through Cyrus SASL (smtpd_sasl_type =
// cyrus) between the real smtpd, linked with Debian's libsasl2 2.1.28,
// and ours (libglobal/sasl's Cyrus implementation), under one real
// master with the same main.cf: the EHLO AUTH line for several
// mech_list and security option settings, PLAIN (with and without an
// initial response), LOGIN and CRAM-MD5 against a sasldb file written
// by saslpasswd2, and the plaintext mechanisms against a saslauthd
// started by the test (its rimap mode, backed by a small IMAP server of
// the test, so that nothing of the system is read), and with saslauthd
// down. main.cf points cyrus_sasl_config_path at files that would
// change every EHLO line, which Debian's smtpd ignores (it reads
// $config_directory/sasl/NAME.conf). Reply lines and the smtpd log lines of each session are
// compared.
//
// The real AUTH line is compared without the mechanisms libglobal/sasl
// does not implement (SCRAM-SHA-*, DIGEST-MD5, NTLM). Sessions marked
// pending depend on cmd/smtpd/internal/smtpd/auth.go, which still does
// what only xsasl_dovecot does (it refuses a mechanism that is not in
// the EHLO list, and base64 it finds malformed, before the SASL server
// sees them) and answers 535 where Postfix answers 454 for a temporary
// failure (Result.Temp); until it changes, such a session is skipped
// when it differs, with the difference in the skip message.
//
// The test needs root, the real Postfix and Debian's sasl2-bin
// (saslauthd, saslpasswd2); it uses ports 34400-34499.
package sasl
