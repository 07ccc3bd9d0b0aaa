// Package logevent writes the mail log lines that administrators and log
// analysers (pflogsumm, exporters, fail2ban) parse, from one place:
// Postfix's src/global/log_adhoc.c (the per-recipient delivery line),
// opened.c (the "from=<>, size=, nrcpt=" line), format_tv.c (delay
// numbers) and info_log_addr_form.c (addresses in log lines).
//
//	QUEUEID: to=<RCPT>[, orig_to=<ORIG>], relay=RELAY[, conn_use=N],
//	    delay=D, delays=A/B/C/E, dsn=X.Y.Z, status=STATUS (REASON)
//
// Every delivery agent, qmgr and the bounce client log recipient status
// through Logger.Delivery, so later structured output (metrics, JSON)
// hangs off Logger alone.
package logevent
