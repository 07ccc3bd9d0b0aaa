// Package dictproxy is the client side of the proxy: table type, Postfix's
// src/global/dict_proxy.c with clnt_stream.c and mail_connect.c:
// "proxy:type:name" tables whose lookups (and sequence) go to the
// proxymap service and whose updates and deletes go to proxywrite, over
// $queue_directory/private/$proxymap_service_name (or ./private/... when
// that exists, as for programs running in the queue directory), with the
// 3.7 request format (table, flags, key; no instance_flags).
//
// As in Postfix, all proxy tables of one registry share one connection
// per service; the connection is made on first use, waited for up to 11
// times 10 seconds when the socket is missing ("connect #N to subsystem
// ..."), checked for the server's "proxymap_protocol" announcement, and
// replaced when the server closed it, after ipc_idle seconds without use
// or ipc_ttl seconds of age. A request that fails on the wire is retried
// every second until it gets an answer; "invalid request" and "not
// configured" answers are fatal. Tables opened with dict.FlagNoProxy are
// opened directly instead.
//
// Deliberate difference: Postfix closes an idle connection from its event
// loop; here the idle and age limits are checked when the connection is
// next used, which ends the same connections.
package dictproxy
