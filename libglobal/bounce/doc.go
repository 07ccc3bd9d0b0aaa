// Package bounce is the client side of the bounce(8), defer and trace
// services and of the per-recipient status reporting every delivery
// agent, qmgr and cleanup do: Postfix's src/global/bounce.c, defer.c,
// trace.c, sent.c, verify.c, abounce.c, dsn_filter.c, and the two small
// clients they call, flush_add (flush_clnt.c) and verify_clnt_update.
//
// Each report is one request to private/bounce, private/defer or
// private/trace (protocols.md 2.3): the service greets with
// "protocol=delivery_status_protocol", reads one record that starts with
// nrequest, and answers "status". A recipient report is then logged with
// the standard delivery line (libglobal/logevent):
//
//	c.BounceAppend(flags, id, stats, rcpt, "none", dsn.Simple("5.0.0", why))
//	c.DeferAppend(...)   // status=deferred, defer logfile, fast flush
//	c.Sent(...)          // status=sent, trace records when asked for
//	c.BounceFlush(msg)   // qmgr: send the non-delivery notice
//
// The return values follow Postfix: 0 when the recipient is dealt with
// (the caller marks it done), -1 when it must stay in the queue.
// Asynchronous use (abounce.c) is a goroutine around these calls.
//
// Deliberate differences: the verify client makes one retry instead of
// retrying forever.
package bounce
