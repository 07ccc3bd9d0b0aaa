// Command local is the Postfix local delivery agent: it delivers mail for
// the users of this machine, to aliases, .forward files, mailboxes, files
// and commands.
//
// It is the Go reimplementation of local(8) of Postfix 3.7. qmgr(8) hands
// it the recipients that trivial-rewrite(8) resolved to the local
// transport (the domains of mydestination, by default). For each
// recipient user+extension@domain (recipient_delimiter separates the
// extension), local tries, in this order:
//
//  1. alias_maps, with the address's local part and then without its
//     extension; an alias may expand to addresses, "|command", "/file"
//     and ":include:/file" entries. A matching "owner-name" alias becomes
//     the envelope sender of the expansion.
//  2. the user's .forward files, as forward_path lists them (the first one
//     that exists counts), with the same kinds of entries as an alias.
//  3. the mailbox: the transport mailbox_transport_maps gives for the
//     user, else mailbox_transport when set, takes the recipient;
//     otherwise the command mailbox_command_maps gives for the user, else
//     mailbox_command when set, runs for the user; otherwise the
//     message goes to home_mailbox in the user's home directory (a
//     Maildir when it ends in "/") or to the user's file in
//     mail_spool_directory (one Maildir per user when that ends in "/").
//     An mbox file is locked as mailbox_delivery_lock says and gets a
//     "From " line, Delivered-To: and Return-Path: headers.
//  4. for an address that is no user: the transport
//     fallback_transport_maps gives for it, fallback_transport, then luser_relay,
//     else the recipient bounces with "unknown user".
//
// Addresses that an alias, an :include: file or a .forward file produces
// are delivered by passing a new message to cleanup(8) when they are not
// local. Duplicate addresses in one expansion are delivered once
// (duplicate_filter_limit), and a Delivered-To: header with the
// recipient's address stops mail forwarding loops. Deliveries to files
// and commands are allowed as allow_mail_to_files and
// allow_mail_to_commands say; they run with the privileges of the user,
// or of the owner of the alias database or :include: file
// (default_privs for root-owned ones), never as root. A command is run
// directly when it holds no shell syntax, else with /bin/sh -c, or always
// through local_command_shell when that is set; it runs in
// command_execution_directory with PATH=/usr/bin:/bin and HOME,
// LOGNAME, USER, SHELL, SENDER, RECIPIENT, LOCAL, DOMAIN, EXTENSION,
// ORIGINAL_RECIPIENT, CLIENT_ADDRESS, CLIENT_HOSTNAME, CLIENT_HELO,
// CLIENT_PROTOCOL, SASL_METHOD, SASL_SENDER and SASL_USERNAME as
// applicable, plus export_environment; it must end within
// command_time_limit. Its exit status says whether delivery succeeded,
// failed for good (a sysexits(3) code such as 67) or should be tried
// again.
//
// With biff = yes, each delivery to an mbox file sends "user@offset" to
// the comsat (biff/udp) service of localhost.
//
// mailbox_size_limit is the largest file the process may write; it may
// not be smaller than message_size_limit.
//
// # Differences from Postfix
//
// Privileges are switched for the whole process (Go applies set*id calls
// to all threads), and commands are started with os/exec. A looping recipient with
// an owner- alias whose problem is temporary is deferred in the normal
// way instead of through a one-recipient notice.
package main
