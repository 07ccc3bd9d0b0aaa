// Package postscreen tests postscreen(8) and dnsblog(8) (cmd/postscreen,
// cmd/dnsblog) differentially: the same client sessions run against a
// scratch Postfix instance with the real postscreen and dnsblog, and
// against instances where ours replace one or both of them, always with
// the real smtpd behind; the client-visible replies, the postscreen and
// dnsblog log lines (ports, pids and times masked) and the delivered mail
// must be the same.
//
// DNSBL answers come from a small DNS server that the test runs in a
// private network namespace on 127.0.0.1:53; both dnsblogs run in that
// namespace with a private mount namespace whose /etc/resolv.conf points
// there (nsenter + unshare -m + a bind mount), so the real one, which
// reads /etc/resolv.conf through the C resolver, and ours see the same
// server. Everything else is on loopback ports 30100-30199 of the host.
//
// The tests need root and Debian's Postfix 3.7; they fail, never skip,
// without them.
package postscreen
