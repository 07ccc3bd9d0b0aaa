// Command trivial-rewrite is the Postfix address rewriting and resolving
// daemon: it puts addresses into standard user@domain form and decides
// which delivery transport and next hop each recipient gets.
//
// It is the Go reimplementation of trivial-rewrite(8) of Postfix 3.7, a
// multi-client server on private/rewrite (rewrite_service_name) that
// cleanup(8), smtpd(8), qmgr(8) and the delivery agents query.
//
// Rewriting ("rewrite" requests) comes in two contexts. In the local
// context, used for mail from this machine, it turns "site!user" into
// "user@site" (swap_bangpath), "user%domain" into "user@domain"
// (allow_percent_hack), adds "@$myorigin" to an address without a domain
// (append_at_myorigin) and ".$mydomain" to a domain without a dot
// (append_dot_mydomain), and drops a trailing dot. In the remote context,
// for header addresses in mail from other machines, a missing domain
// becomes remote_header_rewrite_domain, and nothing is added when that is
// empty.
//
// Resolving ("resolve" requests) assigns each recipient to an address
// class by its domain:
//
//	local
//		mydestination, and the addresses of inet_interfaces and
//		proxy_interfaces as [address]: local_transport.
//	virtual alias
//		virtual_alias_domains. cleanup(8) has already replaced every
//		valid address of these domains, so what is left is an unknown
//		user: the error transport, "5.1.1 User unknown" (plus "in virtual
//		alias table" with show_user_unknown_table_name).
//	virtual mailbox
//		virtual_mailbox_domains: virtual_transport.
//	relay
//		relay_domains: relay_transport.
//	default
//		everything else: default_transport, or the transport of the
//		sender in sender_dependent_default_transport_maps.
//
// For the relay and default classes the next hop is the sender's entry in
// sender_dependent_relayhost_maps, else relayhost, else the recipient's
// domain. Then transport_maps may replace the transport and next hop of
// any class, and a recipient listed in relocated_maps is sent to the error
// transport with "5.1.6 User has moved to" and the new address. A domain
// listed in two classes draws a warning (helpful_warnings). "verify"
// requests resolve the same way with the address_verify_* variants of
// these parameters, for address verification probes.
//
// Every ten seconds, between clients, the server checks whether one of its
// table files has changed and then exits after the current client, so
// that master(8) starts it again with the new contents.
//
// # Differences from Postfix
//
// The "table has changed" check restarts the process only between
// clients.
package main
