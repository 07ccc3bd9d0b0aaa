// Package cleanup is the client side of the cleanup(8) service on
// public/cleanup (Postfix's src/global/cleanup_user.h, cleanup_strerror.c
// and the mail_connect/attr_scan sequence every submitter uses): the
// server announces "protocol=cleanup_protocol" with the new queue ID,
// the client sends its flags, then the queue-file record stream up to the
// end record, and reads "status" and "reason".
//
// pickup, smtpd, qmqpd, local (forwarding) and bounce call Open, write
// records with Stream.W, and Finish.
package cleanup
