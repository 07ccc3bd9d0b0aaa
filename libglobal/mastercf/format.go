package mastercf

import (
	"strings"
)

// Layout constants of postconf's output.
const (
	LineLimit  = 80 // fold lines that would reach this length
	IndentText = "    "
)

// columnGoal is where postconf -M starts each fixed field.
var columnGoal = [MinFields]int{0, 11, 17, 25, 33, 41, 49, 57}

// Expander expands $name in an option value for "postconf -Mx/-Fx";
// nil leaves values alone.
type Expander func(value string) string

// lineWriter tracks the length of the current output line.
type lineWriter struct {
	b   strings.Builder
	len int
}

func (w *lineWriter) add(s string) {
	w.b.WriteString(s)
	w.len += len(s)
}

func (w *lineWriter) wrap() {
	w.b.WriteString("\n" + IndentText)
	w.len = len(IndentText)
}

func hasBlank(s string) bool { return strings.ContainsAny(s, Blanks) }

// writeArgs formats the command arguments the way postconf does after the
// command name; valueExtra is the width added for " " around an option
// value (3 for -M, 1 for -F, a difference kept from Postfix).
func (e *Entry) writeArgs(w *lineWriter, fold bool, expand Expander, valueExtra int) {
	argv := e.Argv
	inOptions := true
	for f := MinFields; f < len(argv); f++ {
		arg := argv[f]
		argLen := len(arg)
		aval, hasVal, parens := "", false, false
		if inOptions {
			if isOptionEnd(arg) {
				inOptions = false
			} else if takesValue(arg) && f+1 < len(argv) {
				aval, hasVal = argv[f+1], true
				w.len = LineLimit // option with value starts a new line
				if arg == "-o" && expand != nil {
					aval = expand(aval)
				}
				argLen += len(aval) + valueExtra
				if parens = hasBlank(aval); parens {
					argLen += 2
				}
			}
		} else {
			parens = hasBlank(arg)
		}
		if w.len > len(IndentText) {
			if !fold || w.len+1+argLen < LineLimit {
				w.add(" ")
			} else {
				w.wrap()
			}
		}
		if !inOptions && parens {
			w.add("{" + arg + "}")
		} else {
			w.add(arg)
		}
		if hasVal {
			w.add(" ")
			if parens {
				w.add("{" + aval + "}")
			} else {
				w.add(aval)
			}
			f++
			w.len = LineLimit // and the next item too
		}
	}
	w.b.WriteString("\n")
}

// Format renders the entry as postconf -M prints it (and as postconf -M
// edits write it, always folded): fixed fields at their columns, then the
// arguments, with -o values in braces when they contain white space.
func (e *Entry) Format(fold bool, expand Expander) string {
	var w lineWriter
	for f := 0; f < MinFields; f++ {
		if w.len > 0 {
			w.add(" ")
			for w.len < columnGoal[f] {
				w.add(" ")
			}
		}
		w.add(e.Argv[f])
	}
	e.writeArgs(&w, fold, expand, 3)
	return w.b.String()
}

// FieldFormat selects what FormatField prints.
type FieldFormat struct {
	Fold, HideName, HideValue bool
	Expand                    Expander
}

// FormatField renders one field as postconf -F prints it:
// "service/type/field = value", the command field with all arguments.
func (e *Entry) FormatField(field int, ff FieldFormat) string {
	var w lineWriter
	if !ff.HideName {
		w.add(e.NameSpace() + "/" + FieldNames[field])
	}
	if !ff.HideName && !ff.HideValue {
		w.add(" = ")
	}
	if ff.HideValue {
		w.b.WriteString("\n")
		return w.b.String()
	}
	// Postfix wraps a long first value even without -f.
	if w.len > 0 && w.len+len(e.Argv[field]) > LineLimit {
		w.wrap()
	}
	w.add(e.Argv[field])
	if field != FieldCommand {
		w.b.WriteString("\n")
		return w.b.String()
	}
	e.writeArgs(&w, ff.Fold, ff.Expand, 1)
	return w.b.String()
}
