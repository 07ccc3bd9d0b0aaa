// Package deliver is the delivery request protocol between qmgr(8) and
// the delivery agents (local, smtp, lmtp, virtual, pipe, error, discard),
// Postfix's src/global/deliver_request.c, deliver_completed.c,
// recipient_list.c, rcpt_buf.c, rcpt_print.c, msg_stats.h and its
// print/scan helpers, and the client half qmgr_deliver.c speaks.
//
// The conversation on private/<transport> (protocols.md 2.12):
//
//	agent: protocol=delivery_request_protocol
//	qmgr:  flags, queue_name, queue_id, offset, size, nexthop, encoding,
//	       smtputf8, sender, envelope_id, ret_flags, time (88-byte
//	       MSG_STATS as data), log_client_name ... rewrite_context,
//	       recipient_count
//	qmgr:  one record per recipient: original_recipient, recipient,
//	       offset, dsn_orig_rcpt, notify_flags
//	agent: status, diag_type, diag_text, mta_type, mta_mname, action,
//	       reason (the hop status), status (0 = every recipient handled)
//
// An agent calls ReadRequest, delivers, reports each recipient to the
// bounce/defer/trace services (libglobal/bounce), marks finished
// recipients with Completed and answers with Request.Done. qmgr uses
// WriteRequest, ReadInitial and ReadReply.
//
// Deliberate difference: none on the wire. MSG_STATS is encoded for
// LP64 Linux (five 16-byte timevals, an int and 4 bytes of padding),
// the only platform the 3.7.11 reference runs on.
package deliver
