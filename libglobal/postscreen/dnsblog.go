package postscreen

import (
	"gopostfix/libglobal/util/attr"
)

// Attribute names of the dnsblog records (mail_proto.h).
const (
	AttrRBLDomain  = "rbl_domain"
	AttrClientAddr = "client_address"
	AttrLabel      = "label"
	AttrRBLAddr    = "rbl_addr"
	AttrTTL        = "ttl"
)

// Query is what postscreen asks dnsblog: is Client listed under Domain?
// Label is postscreen's request number, echoed in the reply.
type Query struct {
	Domain string
	Client string
	Label  int
}

// Answer is dnsblog's reply: the query, the addresses the DNSBL returned
// (space separated, empty when not listed) and the reply TTL (-1: none).
type Answer struct {
	Query
	Addrs string
	TTL   int
}

// Attrs are the request attributes in wire order.
func (q Query) Attrs() []attr.Attr {
	return []attr.Attr{attr.Str(AttrRBLDomain, q.Domain), attr.Str(AttrClientAddr, q.Client),
		attr.Int(AttrLabel, q.Label)}
}

// Attrs are the reply attributes in wire order.
func (a Answer) Attrs() []attr.Attr {
	return append(a.Query.Attrs(), attr.Str(AttrRBLAddr, a.Addrs), attr.Int(AttrTTL, a.TTL))
}

// ReadQuery reads a request the way dnsblog does (attr_scan with
// ATTR_FLAG_MORE | ATTR_FLAG_STRICT): the three attributes, in order,
// nothing else before them. ok is false when the record is not a valid
// request; dnsblog then closes the connection without a reply. err is
// the attribute layer's complaint, if any (Postfix's warning text).
func ReadQuery(r *attr.Reader) (q Query, ok bool, err error) {
	n, err := r.Scan(attr.Strict|attr.More, attr.RecvStr(AttrRBLDomain, &q.Domain),
		attr.RecvStr(AttrClientAddr, &q.Client), attr.RecvInt(AttrLabel, &q.Label))
	return q, err == nil && n == 3, err
}

// ReadAnswer reads a reply the way postscreen does (attr_scan with
// ATTR_FLAG_STRICT): all five attributes or it is not an answer. err is
// what went wrong on the stream, if anything.
func ReadAnswer(r *attr.Reader) (a Answer, ok bool, err error) {
	n, err := r.Scan(attr.Strict, attr.RecvStr(AttrRBLDomain, &a.Domain),
		attr.RecvStr(AttrClientAddr, &a.Client), attr.RecvInt(AttrLabel, &a.Label),
		attr.RecvStr(AttrRBLAddr, &a.Addrs), attr.RecvInt(AttrTTL, &a.TTL))
	return a, err == nil && n == 5, err
}
