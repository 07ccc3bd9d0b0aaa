// Package testmilter is a small scriptable Sendmail 8 milter server for
// tests. It speaks the server side of the milter protocol (versions 2..6)
// that Postfix's src/milter/milter8.c speaks as a client: it negotiates
// with a configurable version, action mask, protocol mask and per-stage
// macro lists, writes every packet it receives to a readable log, and
// answers from a Script.
//
// The log lets a test point the real Postfix smtpd/cleanup and ours at the
// same script and compare what each one sends. One line per packet:
//
//	OPTNEG version=6 actions=0x1ff protocol=0x1fffff
//	MACRO C "j"="host" "{daemon_name}"="smtpd"
//	CONNECT "host.example" 4 1234 "192.0.2.1"
//	HELO "client.example"
//	MAIL "<a@example>" "SIZE=10"
//	RCPT "<b@example>"
//	DATA
//	UNKNOWN "VRFY x"
//	HEADER "Subject" " hello"
//	EOH
//	BODY "text\r\n"
//	EOB ""
//	ABORT
//	QUIT
//
// Strings are Go-quoted, so bytes that matter (CR, LF, spaces) stay
// visible. Sessions are logged one after the other, each starting with a
// "SESSION n" line and, once the MTA hung up (or the milter did, by a
// fault), ending with "CLOSED"; a failed read adds "READ ERROR ...".
//
// Use: srv, _ := testmilter.Listen("tcp", "127.0.0.1:PORT", script) (or
// "unix" and a path), put srv.Spec() in smtpd_milters, run the session,
// srv.WaitEnded(n, timeout), then compare srv.Log() or srv.Session(i).
// The package's own tests run libglobal/milter against it and against
// the real Postfix 3.7 (instances from tests/internal/instance), so its
// logs of the real smtpd and cleanup are a known-good reference.
//
// Misbehaviour for error-path tests: close the connection at an event,
// stall (send nothing) at an event, or send a garbage packet there. Every
// read has a deadline and Close stops the server and its sessions.
package testmilter
