// Package flush is the client of the fast flush service, Postfix's
// src/global/flush_clnt.c: smtpd (ETRN), postqueue (-s, -i), sendmail
// (-qR) and the defer logging of delivery agents ask flush(8) on
// public/flush to remember, deliver or refresh the deferred mail of a
// destination. Each call is one mail_command_client exchange: connect,
// check the "queue_flush_protocol" announcement, send one request record,
// read "status".
//
// Add and SendSite ask the server only for sites in fast_flush_domains
// (deny otherwise, fail when the list lookup failed); Refresh and Purge
// are denied without asking when fast_flush_domains is empty; SendFile
// always asks.
//
// Deliberate differences: none known.
package flush
