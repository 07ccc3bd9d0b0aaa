// Package namemask turns a list of names into a bit mask, as Postfix's
// name_mask(3) does (src/util/name_mask.c) for settings such as
// notify_classes, mailbox_delivery_lock and allow_mail_to_commands.
package namemask

import (
	"fmt"
	"strings"
)

// Name is one table entry.
type Name struct {
	Name string
	Mask int
}

// Delim is the default separator set (", \t\r\n").
const Delim = ", \t\r\n"

// Parse returns the union of the masks named in names (split on Delim,
// compared case-sensitively). An unknown name is an error worded as
// Postfix's fatal message: unknown CONTEXT value "NAME" in "NAMES".
func Parse(context string, table []Name, names string) (int, error) {
	mask := 0
	for _, n := range strings.FieldsFunc(names, func(r rune) bool { return strings.ContainsRune(Delim, r) }) {
		found := false
		for _, e := range table {
			if e.Name == n {
				mask |= e.Mask
				found = true
				break
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown %s value \"%s\" in \"%s\"", context, n, names)
		}
	}
	return mask, nil
}

// Names returns the names whose masks are all set in mask, in table
// order (str_name_mask).
func Names(table []Name, mask int) []string {
	var out []string
	for _, e := range table {
		if e.Mask != 0 && mask&e.Mask == e.Mask {
			out = append(out, e.Name)
		}
	}
	return out
}
