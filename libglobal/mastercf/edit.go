package mastercf

import (
	"slices"
	"strings"

	"gopostfix/libglobal/util/msg"
)

// EditField replaces one field (postconf -F service/type/field=value).
// For the command field, value is the command with all its arguments; it
// is split and normalised like a line from the file. The edited entry is
// checked again; a *FieldError quotes value as the offending text.
func (e *Entry) EditField(field int, value string, log *msg.Logger) error {
	if field == FieldCommand {
		argv := append(e.Argv[:FieldCommand:FieldCommand], SplitQ(value)...)
		if len(argv) < MinFields {
			// An empty command: Postfix would read past its array here;
			// refuse it as the short entry it is.
			return ErrBadFieldCount
		}
		e.Argv = Normalize(argv, log)
	} else {
		e.Argv[field] = value
	}
	return Check(e.Argv, value)
}

// EditParam sets (or with remove, deletes) "-o name=value" among the
// leading options, as postconf -P does: every matching -o is updated or
// removed; a new setting goes after the last leading option.
func (e *Entry) EditParam(name, value string, remove bool) {
	argv := e.Argv
	matched := false
	f := MinFields
	for ; f < len(argv); f++ {
		arg := argv[f]
		if isOptionEnd(arg) {
			break
		}
		if !takesValue(arg) || f+1 >= len(argv) {
			continue
		}
		if arg == "-o" && strings.HasPrefix(argv[f+1], name) &&
			len(argv[f+1]) > len(name) && argv[f+1][len(name)] == '=' {
			matched = true
			if remove {
				argv = slices.Delete(argv, f, f+2)
				f -= 2
			} else {
				argv[f+1] = name + "=" + value
			}
		}
		f++
	}
	if !remove && !matched {
		argv = slices.Insert(argv, f, "-o", name+"="+value)
	}
	e.Argv = argv
}
