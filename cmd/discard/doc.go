// Command discard is the Postfix delivery agent that throws mail away: it
// takes delivery requests from qmgr(8) and reports every recipient as
// delivered without sending the message anywhere.
//
// It is the Go reimplementation of discard(8) of Postfix 3.7. Mail reaches
// it through a route that names a discard service: an entry such as
// "example.com discard:dropped by policy" in transport_maps, or a
// default_transport or relay_transport setting. The next-hop
// part of that route ("dropped by policy") is the reason that is logged:
// each recipient gets a "status=sent" line with "relay=none" and the text,
// preceded by a dotted status code when it starts with one ("2.0.0 text"
// is assumed otherwise). Recipients that asked for a success notice (DSN
// NOTIFY=SUCCESS) are reported to the trace service as Postfix does.
//
// The program takes no arguments of its own: a master.cf entry is
// "discard unix - - n - - discard". A delivery request without a next
// hop, or an argument after the generic options, is a fatal error.
//
// # Differences from Postfix
//
// None known.
package main
