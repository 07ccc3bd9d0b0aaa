// Command postconf is Postfix's postconf(1): it shows main.cf parameters
// (all, non-default, defaults, expanded, named), shows and edits master.cf
// entries, fields and -o parameters, edits main.cf, and lists the
// supported table types, lock methods and SASL types. It reproduces
// Postfix 3.7.11 output byte for byte, including the warnings about
// unused and undefined parameters.
//
// Deliberate differences: the order of "unused parameter" and
// "undefined parameter" warnings, random in Postfix, is the file order;
// new parameters appended by -e come in the order Postfix uses with
// NORANDOMIZE set; a main.cf modified in the last second is read once
// (Postfix re-reads it until it is a second old, repeating warnings);
// -v adds no debugging output; -T shows the Go TLS stack's version and key
// types. Where Postfix 3.7.11 crashes (a name repeated with -X or -#, an
// empty command given to -Fe) this program warns or stops with a fatal
// error instead.
package main

import (
	"os"
	"syscall"
)

func main() {
	syscall.Umask(022)
	pc := newPostconf(os.Args)
	pc.run()
	pc.exit(0)
}
