// Package smtpclient tests the SMTP/LMTP delivery agent (cmd/smtp) end
// to end: a real Postfix instance (real master, pickup, cleanup, qmgr,
// bounce) delivers mail through transport_maps to an in-test stub
// server whose behaviour depends on the port, once with the real
// smtp/lmtp and once with ours swapped in; the stub-side transcripts,
// the per-recipient status lines and the client's other log lines must
// be the same (queue IDs, PIDs, times and delays masked). Ports
// 27000-27999.
package smtpclient
