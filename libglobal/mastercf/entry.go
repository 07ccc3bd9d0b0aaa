package mastercf

import (
	"errors"
	"fmt"
	"strings"

	"gopostfix/libglobal/util/msg"
)

// Field positions in a master.cf entry.
const (
	FieldService = iota
	FieldType
	FieldPrivate
	FieldUnpriv
	FieldChroot
	FieldWakeup
	FieldMaxProc
	FieldCommand
	MinFields // number of mandatory fields
)

// FieldNames are the names postconf -F uses for the fields, by position.
var FieldNames = [MinFields]string{
	"service", "type", "private", "unprivileged", "chroot", "wakeup",
	"process_limit", "command",
}

// FieldIndex returns the position of a field name (case-sensitive).
func FieldIndex(name string) (int, bool) {
	for i, n := range FieldNames {
		if n == name {
			return i, true
		}
	}
	return -1, false
}

// Types are the valid service types (field 2).
var Types = []string{"unix", "fifo", "inet", "pass", "unix-dgram"}

// ErrBadFieldCount is returned for an entry with fewer than eight fields.
var ErrBadFieldCount = errors.New("bad field count")

// Entry is one master.cf service. Argv holds the fields as written
// followed by the command arguments in postconf's normalised form.
type Entry struct {
	Argv []string
	Line int // first physical line in the file, 0 when not from a file
}

// Service returns field 1, the service name.
func (e *Entry) Service() string { return e.Argv[FieldService] }

// Type returns field 2, the service type.
func (e *Entry) Type() string { return e.Argv[FieldType] }

// NameSpace returns "service/type", the name postconf gives the entry.
func (e *Entry) NameSpace() string { return e.Service() + "/" + e.Type() }

// Args returns the words after the command name.
func (e *Entry) Args() []string { return e.Argv[MinFields:] }

// Parse splits and checks one logical master.cf line. It returns
// ErrBadFieldCount for fewer than eight fields and a *FieldError for a
// field with an impossible value. Complaints about braces or -o values
// that Postfix only warns about go to log.
func Parse(line string, log *msg.Logger) (*Entry, error) {
	argv := SplitQ(line)
	if len(argv) < MinFields {
		return nil, ErrBadFieldCount
	}
	if err := Check(argv, line); err != nil {
		return nil, err
	}
	return &Entry{Argv: Normalize(argv, log)}, nil
}

// FieldError reports a field value that postconf refuses. Its text is
// postconf's fatal message.
type FieldError struct {
	Field int
	Value string
	Text  string // the text the value was found in
}

func (e *FieldError) Error() string {
	// Postfix folds the text to one line before it reports it.
	return strings.ReplaceAll(fmt.Sprintf("invalid %s field \"%s\" in \"%s\"",
		FieldNames[e.Field], e.Value, e.Text), "\n", " ")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Check applies postconf's per-field sanity checks to the fixed fields of
// argv (at least MinFields long); text is quoted in the error.
func Check(argv []string, text string) error {
	valid := false
	for _, t := range Types {
		if argv[FieldType] == t {
			valid = true
		}
	}
	if !valid {
		return &FieldError{FieldType, argv[FieldType], text}
	}
	for f := FieldPrivate; f <= FieldChroot; f++ {
		v := argv[f]
		if len(v) != 1 || strings.IndexByte("yn-", v[0]) < 0 {
			return &FieldError{f, v, text}
		}
	}
	w := strings.TrimSuffix(argv[FieldWakeup], "?")
	if w != "-" && !allDigits(w) {
		return &FieldError{FieldWakeup, argv[FieldWakeup], text}
	}
	if p := argv[FieldMaxProc]; p != "-" && !allDigits(p) {
		return &FieldError{FieldMaxProc, p, text}
	}
	return nil
}
