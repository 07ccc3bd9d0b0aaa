// Package postscreen holds what postscreen(8) and dnsblog(8) share: the
// request and reply records of the dnsblog service (Postfix's
// postscreen_dnsbl.c and dnsblog.c, attribute names from mail_proto.h).
// The reply filters of postscreen_dnsbl_sites are libglobal/util/ipmatch.
//
// postscreen connects to private/dnsblog once per DNSBL domain and client,
// sends one request record (rbl_domain, client_address, label) and reads
// one reply record that repeats the request and adds rbl_addr (the A
// records found, separated by spaces, empty when the client is not
// listed) and ttl (the lowest reply TTL, or the negative-answer SOA TTL;
// -1, sent as 4294967295, when there is none). The server does not
// announce a protocol name. Records use the null-terminated encoding.
package postscreen
