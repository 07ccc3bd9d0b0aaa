// Command proxymap is the Postfix lookup table proxy server: it opens
// lookup tables on behalf of other Postfix programs and answers their
// queries, so that those programs need not open the tables themselves.
//
// It is the Go reimplementation of proxymap(8) of Postfix 3.7. A program
// uses it by naming a table proxy:type:name instead of type:name in its
// configuration. That helps in three cases: programs that run chrooted
// can still read tables outside the chroot (such as unix:passwd.byname);
// many processes can share one connection-limited database client
// (LDAP, SQL) through a few proxymap processes; and unprivileged
// programs can update tables such as the address verification cache
// through the proxywrite service.
//
// The program answers under two service names:
//
//	proxymap
//		Read-only service on private/proxymap: open, lookup and sequence
//		requests for the tables listed (as proxy:type:name) in
//		proxy_read_maps. A table that is not listed is refused with a
//		warning about an unapproved table.
//	proxywrite
//		The same program under the service name proxywrite (master gives
//		it -n proxywrite), on private/proxywrite: it also answers update
//		and delete requests, for the tables listed in proxy_write_maps.
//
// Requests and replies use Postfix's attribute protocol of version 3.7;
// a reply's status is 0 (found or done), 1 (no such key), 2 (try again
// later), 3 (bad request), 4 (table not approved) or 5 (configuration
// error). A table is opened once per name and flags and shared by all
// clients of the process. A table that cannot be opened answers every
// request with "try again later", so that the clients defer mail instead
// of failing it. A read-only proxymap exits between clients when one of
// its table files changed, so that master(8) starts a fresh one with the
// new contents.
//
// The master.cf entries are "proxymap unix - - n - - proxymap" and
// "proxywrite unix - - n - 1 proxymap"; writers are kept to one process
// so that updates do not race.
//
// # Differences from Postfix
//
// None known.
package main
