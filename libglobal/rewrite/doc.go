// Package rewrite is the client side of trivial-rewrite(8)'s two
// services on private/rewrite (Postfix's src/global/rewrite_clnt.c and
// resolve_clnt.c): "rewrite" turns an address into its canonical form in
// the local or remote context, "resolve" and "verify" map a recipient to
// the transport, next hop and final recipient address qmgr and smtpd
// need, with the address class flags.
//
// Wire format (protocols.md 2.2): the server announces
// "protocol=trivial_rewrite_protocol"; a rewrite request is
// request=rewrite, rule, address and is answered with flags, address; a
// resolve request is request=resolve|verify, sender, address, answered
// with flags, transport, nexthop, recipient, flags (the first flags are
// the server's, the last the resolver's).
//
// Difference: Postfix caches the last answer of each kind in the client
// process; this client caches nothing, so callers always see the
// server's current answer.
package rewrite
