// Command postconf shows and edits the Postfix configuration: main.cf
// parameters, master.cf entries, fields and -o settings, and what this
// build supports (lookup table types, lock methods, SASL and TLS).
//
// It is the Go reimplementation of postconf(1) of Postfix 3.7.11, meant as
// a drop-in replacement: it takes the same options and prints the same
// text, warnings and exit codes, byte for byte.
//
// Without options it prints every parameter that main.cf can set, sorted
// by name, with the value from main.cf or else the built-in default, as
// "name = value" with the white space between words collapsed. Names given
// on the command line are printed in the order given; an unknown name is
// reported with a warning and does not change the exit status. After the
// output, settings that nothing uses are reported as "unused parameter",
// and references to names that nothing defines as "undefined parameter".
//
// # Synopsis
//
//	postconf [-dfhHnpvx] [-c config_dir] [-C class] [-o name=value] [name ...]
//	postconf [-e | -X | -#] [-c config_dir] name[=value] ...
//	postconf -M | -F | -P [-efhHxX#] [-c config_dir] [service[/type[/name]][=value] ...]
//	postconf -m | -l | -a | -A | -T mode | -t [file] | -b [file]
//
// # Options
//
// Parameter views:
//
//	-d
//		Show the built-in defaults instead of the main.cf values.
//	-n
//		Show only the parameters that main.cf sets.
//	-p
//		Show main.cf parameters; this is what postconf does when no other
//		view is asked for.
//	-x
//		Expand $name references in the values, except in the parameters
//		that the programs themselves never expand.
//	-h
//		Show values only, without "name = ".
//	-H
//		Show names only.
//	-f
//		Fold lines longer than 80 columns, indenting the continuations by
//		four spaces (also for -M, -F and -P).
//	-C class
//		Limit the listing to builtin parameters, service parameters (the
//		per-service parameters of the delivery agents named in master.cf),
//		user parameters (names set in main.cf or master.cf and used in a
//		$name reference), or all of them; several classes may be given,
//		separated by commas or spaces.
//	-o name=value
//		Override a main.cf value for this run only.
//	-c config_dir
//		Read main.cf and master.cf from config_dir instead of /etc/postfix
//		(MAIL_CONFIG in the environment does the same).
//	-v
//		Accepted for compatibility; it adds no output.
//
// Editing main.cf:
//
//	-e name=value ...
//		Replace the entry of each name, or add it at the end of the file.
//		An argument that contains "=" implies -e.
//	-X name ...
//		Remove the entries.
//	-# name ...
//		Comment the entries out.
//
// Comments and the order of the file are kept. The new file is written to
// main.cf.tmp under an exclusive lock, synced to disk and renamed over
// main.cf, with mode 0644.
//
// master.cf:
//
//	-M [service[/type]] ...
//		Show entries, one per line with the fields in columns (-f folds long
//		ones, -x expands the -o values). With -e and
//		service/type=entry, replace or add an entry; with -X remove it;
//		with -# comment it out.
//	-F [service[/type[/field]]] ...
//		Show fields as service/type/field = value; the fields are
//		service, type, private, unprivileged, chroot, wakeup,
//		process_limit and command. With -e, change a field.
//	-P [service[/type[/parameter]]] ...
//		Show the -o settings of services, sorted by name. With -e, add or
//		change one; with -X, remove it.
//
// A "*" matches any service, type, field or parameter. A selector that
// matches nothing is reported as an "unmatched request".
//
// Other information:
//
//	-m
//		List the supported lookup table types.
//	-l
//		List the mailbox locking methods.
//	-a
//		List the server SASL plug-in types.
//	-A
//		List the client SASL plug-in types.
//	-T mode
//		TLS information: compile-version, run-version or
//		public-key-algorithms.
//	-t [file]
//		Show the bounce message templates as they are written (the
//		built-in ones, or those of file).
//	-b [file]
//		Show the bounce message templates with their $name references
//		expanded. Both -t and -b run bounce(8) from daemon_directory.
//
// # Diagnostics
//
// Problems are reported on standard error as "postconf: warning: ..." or
// "postconf: fatal: ..."; a fatal error, a usage error or an impossible
// combination of options exits with status 1.
//
// # Differences from Postfix
//
// The order of the "unused parameter" and "undefined parameter" warnings,
// random in Postfix, is the file order. New parameters appended by -e come
// in the order Postfix uses with NORANDOMIZE set. A main.cf modified in
// the last second is read once (Postfix reads it again until it is a
// second old, repeating its warnings). -v adds no debugging output. -T
// describes the Go TLS stack's version and key types. Where Postfix 3.7.11
// crashes (a name repeated with -X or -#, an empty command given to -Fe)
// this program warns or stops with a fatal error instead.
//
// # Files
//
// /etc/postfix/main.cf, /etc/postfix/master.cf (or those of config_dir).
//
// # See also
//
// postconf(5) (every parameter and its default), master(8), bounce(8),
// postfix(1).
package main
