package mastercf

import (
	"slices"
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
)

// optionsWithValue are the daemon options whose value is the next word.
const optionsWithValue = "o"

// takesValue reports whether option word arg (starting with "-") expects a
// value. Like Postfix it looks at the second byte only; for a lone "-" that
// is the terminating NUL, which C's strchr finds in any string, so "-"
// takes a value too.
func takesValue(arg string) bool {
	return len(arg) < 2 || strings.IndexByte(optionsWithValue, arg[1]) >= 0
}

func isOptionEnd(arg string) bool { return arg == "" || arg[0] != '-' || arg == "--" }

func startsBrace(s string) bool { return s != "" && s[0] == '{' }

// Normalize brings the command arguments of argv (the words after the
// eight fixed fields) into postconf's canonical form, in place where it
// can, and returns the result:
//
//   - bundled options are split before any value-taking letter
//     ("-vo" -> "-v" "-o"; this is the spot of the reproduced Postfix bug:
//     any "o" after the first option letter splits the word);
//   - "-oname=value" becomes "-o" "name=value";
//   - an option value in braces loses them ("{ name = v w }" ->
//     "name=v w" for -o, with white space around "=" removed);
//   - a non-option argument in braces loses them.
//
// Brace and name=value errors are warned about with the "master.cf:"
// prefix, as postconf does, and the text is kept as well as it can be.
func Normalize(argv []string, log *msg.Logger) []string {
	field := MinFields
	for ; field < len(argv); field++ {
		arg := argv[field]
		if isOptionEnd(arg) {
			break
		}
		for i := 2; i < len(arg); i++ {
			if strings.IndexByte(optionsWithValue, arg[i]) >= 0 {
				argv = slices.Insert(argv, field+1, "-"+arg[i:])
				arg = arg[:i]
				argv[field] = arg
				break
			}
		}
		if !takesValue(arg) {
			continue
		}
		extract := false
		if len(arg) > 2 {
			argv = slices.Insert(argv, field+1, arg[2:])
			argv[field] = arg[:2]
			field++
			extract = startsBrace(argv[field])
		} else if field+1 < len(argv) {
			field++
			extract = startsBrace(argv[field])
		}
		if extract {
			argv[field] = extractWarn(argv[field], log)
			if opt := argv[field-1]; len(opt) > 1 && opt[1] == 'o' {
				argv[field] = normalizeNameValue(argv[field], log)
			}
		}
	}
	for ; field < len(argv); field++ {
		if startsBrace(argv[field]) {
			argv[field] = extractWarn(argv[field], log)
		}
	}
	return argv
}

func extractWarn(word string, log *msg.Logger) string {
	text, err := ExtractBraces(word)
	if err != nil {
		log.Warnf("master.cf: %s", err)
	}
	return text
}

func normalizeNameValue(text string, log *msg.Logger) string {
	name, value, err := mailconf.SplitNameValue(text)
	if err != nil {
		log.Warnf("master.cf: %s: \"%s\"", err, text)
		return text
	}
	return name + "=" + value
}
