// Package scache is the client of the connection cache service
// scache(8) on private/scache, Postfix's src/global/scache_clnt.c: the
// SMTP and LMTP clients save open connections under an endpoint label
// (server address, port, TLS and SASL state) and optionally bind a
// destination label (nexthop) to it, and look them up again for later
// deliveries. Descriptors travel with the attribute protocol's
// descriptor passing (dummy records around one SCM_RIGHTS message).
//
//	c := scache.New("scache", 5*time.Second, log) // connection_cache_service_name, _protocol_timeout
//	c.Idle() // when a delivery request arrives
//	c.SaveEndp(ttl, "smtp:192.0.2.1:25", endpProp, f) // f (the connection's *os.File) is closed
//	c.SaveDest(ttl, "smtp:example.com", destProp, "smtp:192.0.2.1:25")
//	destProp, endpProp, f, err := c.FindDest("smtp:example.com") // err == ErrNotFound: none
//	endpProp, f, err := c.FindEndp("smtp:192.0.2.1:25")
//
// Requests: save_endp (ttl, label, property, then the descriptor),
// find_endp (label -> status, property, descriptor), save_dest (ttl,
// label, property, endpoint label), find_dest (label -> status,
// destination property, endpoint property, descriptor). A found
// connection leaves the cache.
//
// As in Postfix, the connection to the service is kept between requests.
// Postfix's auto_clnt looks after it from the event loop, that is while
// the client waits for its next delivery request: the connection is
// closed when the server hung up, after ipc_idle without requests and
// ipc_ttl after it was made. Here the client calls Idle when a request
// arrives, which does the same checks; within a delivery a connection
// that died is only found out by the next request. A failed request is
// tried once more on a new connection one second later, and after that
// second failure the client logs "disabling connection caching" and
// gives up on the service for the life of the process (the SMTP client then goes on without caching:
// sessions meant for the cache are closed without QUIT, as in Postfix).
//
// Warnings are those of scache_clnt.c and auto_clnt.c: "connect to
// private/scache: ..." for every failed connect; nothing more when the
// server's announcement does not come; for a failed exchange, attr_scan's
// complaint about a bad or broken-off reply ("unexpected attribute ...",
// "premature end-of-input on ..."; none for a reply that never began), then
// "problem talking to service private/scache: %m" unless the errno is
// EPIPE or ENOENT (a server that went away). %m is "Application error"
// without an errno (the server hung up) and "Connection timed out"
// after connection_cache_protocol_timeout. save_endp also keeps quiet
// without an errno, except when its second exchange fails.
//
// Deliberate differences: none on the wire. A connection that outlived
// ipc_idle is closed when the next delivery request arrives rather than
// by a timer while the client waits, so scache(8) sees it go later.
package scache
