// Command bounce is the Postfix delivery status reporting service: it
// keeps the per-message records of failed, delayed and traced deliveries
// and turns them into notices to the sender and the postmaster.
//
// It is the Go reimplementation of bounce(8) of Postfix 3.7: one program
// behind three master.cf services, told apart by the service name.
//
//	bounce
//		Recipients that could not be delivered. The delivery agents append
//		one entry per recipient to the logfile bounce/QUEUE_ID; when qmgr(8)
//		is done with the message it asks for the non-delivery notice, which
//		lists every recipient with its status and reason. The service also
//		bounces a single recipient at once, without a logfile, when a
//		program asks for that.
//	defer
//		Recipients whose delivery was postponed, in defer/QUEUE_ID. The
//		logfile gives the reasons that postqueue -p shows, becomes a delay
//		warning once the message is delay_warning_time old, and a
//		non-delivery notice when the message expires after
//		maximal_queue_lifetime (bounce_queue_lifetime for mail from the
//		null sender).
//	trace
//		A record of every delivery, in trace/QUEUE_ID, for mail sent with
//		DSN NOTIFY=SUCCESS (a success notice), with "sendmail -v" (a report
//		of every recipient) or "sendmail -bv" (what would happen).
//
// Notices are RFC 3464 multipart/report messages: a human-readable part
// made from the templates of bounce_template_file (the built-in English
// texts when it is empty), a machine-readable delivery-status part, and
// the original message or its headers, limited to bounce_size_limit
// bytes. They are posted through cleanup(8) from the null sender, so that
// they cannot cause notices of their own. A notice that cannot be
// delivered either (a double bounce) goes to 2bounce_notice_recipient;
// copies for the postmaster go to bounce_notice_recipient and
// delay_notice_recipient when notify_classes asks for them.
//
// Run by hand as "bounce -SVndump_templates" or "bounce
// -SVnexpand_templates", the program prints its message templates raw or
// with their $name references expanded; postconf(1) -t and -b do this.
//
// master.cf runs the program for the bounce, defer and trace services,
// each with a process limit of 0 (no limit), which the program requires.
//
// # Differences from Postfix
//
// A bounce_template_file that changes while it is read is not read again.
package main
