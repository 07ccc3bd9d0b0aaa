// Package sasl is the server side of SMTP AUTH through the Dovecot
// authentication protocol (Postfix's src/xsasl/xsasl_dovecot_server.c):
// smtpd connects to the Dovecot auth socket (smtpd_sasl_path), announces
// "VERSION 1 1" and its process ID, learns the mechanisms from the MECH
// lines up to DONE, and runs each AUTH exchange as AUTH / CONT / OK /
// FAIL lines with base64 payloads.
//
// Mechanisms are filtered by the smtpd_sasl_security_options words
// (noanonymous, noplaintext, noactive, nodictionary,
// mutual_auth, forward_secrecy) against the flags Dovecot sends.
package sasl
