// Command postalias creates, queries and updates Postfix alias databases.
//
// It is the Go reimplementation of postalias(1) of Postfix 3.7: same
// options, output, diagnostics, exit statuses and table files, with the
// same table types as postmap(1). Without a table type, the type is
// default_database_type; alias_maps and alias_database name the tables
// that local(8) reads and that newaliases(1) rebuilds.
//
// The source file is in aliases(5) format: each logical line (lines that
// start with white space continue the line before; "#" lines are comments)
// is "name: value". The name is a local name without a domain, stored in
// lower case (quotes removed); the value is a comma-separated list of
// addresses, "/file" names, "|command" lines and ":include:/file"
// references, stored in a normalized form ("a, b, c"). A line without a
// name and a colon draws a warning and is skipped, as does a name with a
// domain. After the entries postalias stores "@" with the value "@", which
// tells old Sendmail programs that the database is complete, and the NIS
// entries YP_LAST_MODIFIED and YP_MASTER_NAME, as Debian's Postfix does.
// The table is locked while it is written, as postmap(1) locks it.
//
// # Synopsis
//
//	postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file ...
//
// # Options
//
//	-q key
//		Look key up in each table in turn and print the first value found;
//		"-q -" reads keys from standard input and prints "key:<TAB>value"
//		for each one found.
//	-d key
//		Remove key from each table ("-d -" reads keys from standard
//		input).
//	-s
//		Print every entry of each table as "key:<TAB>value".
//	-i
//		Add the entries read from standard input to an existing table.
//	-f
//		Do not fold names to lower case.
//	-n, -N
//		Store keys and values without, or with, a terminating null byte.
//	-r, -w
//		On a duplicate name, keep the last entry, or the first one, without
//		a warning.
//	-o
//		Do not give up root privileges when building a table.
//	-p
//		Do not copy the source file's permissions to the table.
//	-u
//		Do not check and fold names as UTF-8 (which happens by default when
//		smtputf8_enable is on).
//	-c config_dir
//		Read main.cf from config_dir instead of the default configuration
//		directory.
//	-v
//		Log more; repeat for even more.
//
// # Diagnostics
//
// Problems are reported on standard error as "postalias: warning: ..."
// or "postalias: fatal: ...". A query or deletion that finds nothing exits
// with status 1, a fatal error with status 1, anything else with 0.
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
// real postalias built from the same source.
//
// An lmdb table starts with a map size estimated from the size of the
// source file (lmdb_map_size is the minimum), so that a large build
// rarely has to start over with a doubled map.
package main
