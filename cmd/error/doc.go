// Command error is the Postfix delivery agent that fails mail on purpose:
// under the service name "error" it bounces every recipient of a delivery
// request, under "retry" it defers them.
//
// It is the Go reimplementation of error(8) of Postfix 3.7. Mail reaches
// it through a route such as "example.com error:5.1.1 no such domain" in
// transport_maps, or through qmgr(8) itself for recipients that
// trivial-rewrite(8) resolved to an error (relocated or unknown users,
// for example). The next-hop part of the route is the reason: a dotted
// status code may start it; without one, 5.0.0 (error) or 4.0.0 (retry)
// is assumed. Each recipient is reported to the bounce or the defer
// service, which logs it with "relay=none" and the reason. Bounced
// recipients are marked done in the queue file (bounce(8) reports them in
// a non-delivery notice); deferred ones stay for the next attempt.
//
// The program takes no arguments of its own: the usual master.cf entries
// are "error unix - - n - - error" and "retry unix - - n - - error". A
// delivery request without a next hop, an argument after the generic
// options or a service name other than error and retry is a fatal error.
//
// # Differences from Postfix
//
// None known.
package main
