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
// Postfix's rewrite_clnt keeps its last answer for 30 seconds. This
// client keeps none unless the program asks (CacheRewrites), and then
// a few: cleanup rewrites the envelope addresses and then the same ones
// in the headers. A non-zero server flags value makes the client
// reconnect for its next request, as clnt_stream_recover. Blocking
// makes the connection outside the Go poller (package fdconn).
package rewrite
