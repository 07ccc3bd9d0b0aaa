// Package smtpclient tests the SMTP/LMTP delivery agent (cmd/smtp) end
// to end: a real Postfix instance (real master, pickup, cleanup, qmgr,
// bounce) delivers mail through transport_maps to an in-test stub
// server whose behaviour depends on the port, once with the real
// smtp/lmtp and once with ours swapped in; the stub-side transcripts,
// the per-recipient status lines and the client's other log lines must
// be the same (queue IDs, PIDs, times and delays masked). Ports
// 27000-27999.
//
// The scache tests (ports 33200-33299) compare connection caching when
// the scache service is missing or misbehaves: by destination through
// the real qmgr, on demand with request flags chosen by the test
// playing qmgr (agentreq_test.go) so that the sequence is fixed, and
// against a fake scache server that hangs up, times out, answers
// garbage or resets the connection (fakescache_test.go).
package smtpclient
