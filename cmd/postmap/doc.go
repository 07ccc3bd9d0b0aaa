// Command postmap creates, queries and updates Postfix lookup tables.
//
// It is the Go reimplementation of postmap(1) of Postfix 3.7: same
// options, output, diagnostics, exit statuses and table files (cdb files
// are identical byte for byte), and tables built by either program can be
// read by the other.
//
// To build a table, postmap reads the source file named in type:file
// (default_database_type when no type is given) and writes the indexed
// file next to it (file.cdb, file.db, file.lmdb). The table is locked while
// it is written, so that programs that read it wait; a cdb table is
// written to a temporary file and renamed into place. Each logical line of the source (lines that start
// with white space continue the line before; "#" lines are comments) is
// "key value": the key ends at the first white space, unless it starts with
// a double quote; the value is the rest of the line. Keys are folded to
// lower case. A duplicate key draws a warning, and the first entry stays.
// The new table gets the read permissions of the source file, and when
// run by root postmap works with the privileges of the source file's
// owner.
//
// # Synopsis
//
//	postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file ...
//
// # Options
//
//	-q key
//		Look key up in each table in turn and print the first value found.
//		With "-q -", read keys from standard input, one per line, and print
//		"key<TAB>value" for each one found.
//	-d key
//		Remove key from each table ("-d -" reads keys from standard
//		input).
//	-s
//		Print every entry of each table as "key<TAB>value", in the table's
//		own order. Tables that cannot be listed (cdb, regexp, cidr) are a
//		fatal error.
//	-i
//		Add the entries read from standard input to an existing table
//		instead of building it from its source.
//	-b, -h
//		With "-q -", read a message from standard input and look up each
//		body line (-b) or each logical header line (-h), as header_checks
//		and body_checks would.
//	-m
//		With -b or -h, treat the message as MIME.
//	-f
//		Do not fold keys to lower case.
//	-F
//		The values in the source are lists of files whose contents are
//		stored base64-encoded; queries decode them.
//	-n, -N
//		Store keys and values without, or with, a terminating null byte,
//		instead of the type's own habit.
//	-r, -w
//		On a duplicate key, keep the last entry, or the first one, without
//		a warning.
//	-o
//		Do not give up root privileges when building a table.
//	-p
//		Do not copy the source file's permissions to the table (mode 0644).
//	-u
//		Do not check and fold keys as UTF-8 (which happens by default when
//		smtputf8_enable is on).
//	-U
//		With -b and -h, check the message text as UTF-8.
//	-c config_dir
//		Read main.cf from config_dir instead of the default configuration
//		directory.
//	-v
//		Log more; repeat for even more.
//
// # Diagnostics
//
// Problems are reported on standard error as "postmap: warning: ..." (with
// the file name and line for source errors) or "postmap: fatal: ...". A
// query or deletion that finds nothing exits with status 1, a fatal error
// with status 1, anything else with 0.
//
// # Differences from Postfix
//
// -v prints the table layer's debugging lines (dict_open, open, the
// Berkeley DB version, the LMDB size limit, proxy requests) but not the
// library start-up lines (name_mask, inet_addr_local, mynetworks) that
// come first in Postfix's trace.
//
// With "-q -" the tables are locked once for each burst of keys already
// read from standard input (released before every read that could wait,
// and after 10 milliseconds at the latest) instead of around each single
// lookup; a writer still never sees a lookup in the middle of its update.
// The keys of a burst are announced to the first table before their
// lookups, so that a cdb table can fetch their data together.
//
// A hash or btree table is written a few megabytes of records at a time,
// in hash bucket or key order instead of source order: the table holds
// the same records and the warnings come out in the same order, but
// "-s" may list a large hash table in another order than a table the
// real postmap built from the same source.
//
// An lmdb table starts with a map size estimated from the size of the
// source file (lmdb_map_size is the minimum), so that a large build
// rarely has to start over with a doubled map.
package main
