// Package bouncelog reads and writes the per-message logfiles of the
// bounce, defer and trace queues (queue.md 3.12): Postfix's
// src/global/bounce_log.c (the reader, also used by showq) and the
// writer of src/bounce/bounce_append_service.c.
//
// Each entry is an empty line, an optional old-style "<rcpt>: reason"
// line (backwards_bounce_logfile_compatibility), "name=value" lines and
// another empty line. Addresses are written in quoted (RFC 822 external)
// form. An append is done under an exclusive lock, fsync'd, and cut back
// to the old length when it fails.
package bouncelog
