// Package showq is the wire protocol between the showq daemon and its
// clients (postqueue -p, postqueue -j, mailq): the attribute stream of
// Postfix 3.7's src/showq/showq.c and src/postqueue/showq_compat.c,
// showq_json.c (protocols.md 2.8).
//
// The server greets with protocol=mail_queue_list_protocol, then sends one
// record per queue file: queue_name, queue_id, time, size, forced_expire
// and sender, followed inside the same record by a (recipient, reason)
// pair for every recipient still to deliver; an empty record ends the
// list. Both sides use the null-terminated encoding.
//
// Deliberate difference: none on the wire. As in 3.7.11 there is no
// original recipient and no log class per recipient (later versions add
// them).
package showq
