// Package tok822 is the RFC 822 address tokenizer, parser and quoting
// shared by smtpd, cleanup, trivial-rewrite, local, postalias and the
// sendmail command. It reproduces Postfix's src/global/tok822_*.c
// (tok822_scan, tok822_parse, tok822_scan_addr, tok822_externalize,
// tok822_internalize, tree editing and search), quote_822_local.c
// (quote_822_local_flags, unquote_822_local) and quote_821_local.c
// (quote_821_local_flags).
//
// Like Postfix's parser it is permissive: nothing the caller gave is thrown
// away, missing commas between addresses are added, and the extra operators
// '%', '!' and '|' of the real world are tokens of their own. Addresses come
// in two string forms: external (quoted, as in message headers) and internal
// (unquoted, as used inside the mail system).
//
// The parse result is a doubly linked token list whose TypeAddr tokens own
// a sub-list (Head..Tail), exactly as Postfix's TOK822 tree, so that callers
// porting Postfix logic (trivial-rewrite's rewrite and resolve steps,
// cleanup's header address rewriting) can edit it the same way.
//
// Deliberate differences: input is treated as a C string (everything from
// the first NUL byte on is ignored), as every Postfix caller passes one; the
// string functions return new strings instead of filling a VSTRING, so the
// WIPE/TERM/APPEND flags have no equivalent.
package tok822
