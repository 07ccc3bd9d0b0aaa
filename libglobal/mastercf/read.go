package mastercf

import (
	"fmt"
	"io"
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// LineError is an entry that cannot be parsed, with its place in the file.
// Its text is postconf's: "file PATH: line N: bad field count".
type LineError struct {
	Path string
	Line int
	Err  error
}

func (e *LineError) Error() string {
	return fmt.Sprintf("file %s: line %d: %s", e.Path, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// Read parses the master.cf file at path. An open error is returned as is
// (an *os.PathError); a short entry gives a *LineError and a bad field
// value a *FieldError, which stop the reading as they stop postconf.
func Read(path string, log *msg.Logger) ([]*Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFrom(f, path, log)
}

// ReadFrom parses master.cf text from r; path names it in messages.
func ReadFrom(r io.Reader, path string, log *msg.Logger) ([]*Entry, error) {
	// Read line by line: a bad entry stops the reading before the
	// reader complains about anything further down, as in postconf.
	rd := readlline.New(r, path, log)
	var out []*Entry
	for {
		l, err := rd.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return out, err
		}
		e, err := Parse(l.Text, log)
		if err == ErrBadFieldCount {
			return out, &LineError{path, l.First, err}
		}
		if err != nil {
			return out, err
		}
		e.Line = l.First
		out = append(out, e)
	}
}

// Param is one "-o name=value" setting of an entry.
type Param struct{ Name, Value string }

// Params returns the entry's "-o name=value" settings in command-line
// order. Values that are not name=value are skipped, as postconf skips
// them (Normalize has warned about them already).
func (e *Entry) Params() []Param {
	var out []Param
	argv := e.Argv
	for f := MinFields; f < len(argv); f++ {
		arg := argv[f]
		if isOptionEnd(arg) {
			break
		}
		if !takesValue(arg) || f+1 >= len(argv) {
			continue
		}
		if arg == "-o" {
			if n, v, err := mailconf.SplitNameValue(argv[f+1]); err == nil {
				out = append(out, Param{n, v})
			}
		}
		f++
	}
	return out
}

// DaemonArgs returns the command arguments of a logical master.cf line as
// master(8) passes them to the daemon: split like SplitQ, and every word
// that starts with "{" stripped of its braces and the white space inside
// them. A brace error is returned with Postfix's text.
func DaemonArgs(line string) ([]string, error) {
	words := SplitQ(line)
	if len(words) < MinFields {
		return nil, ErrBadFieldCount
	}
	args := words[MinFields:]
	for i, w := range args {
		if startsBrace(w) {
			text, err := ExtractBraces(w)
			if err != nil {
				return nil, err
			}
			args[i] = text
		}
	}
	return args, nil
}
