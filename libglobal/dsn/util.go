package dsn

// Valid returns the length of the enhanced status code at the start of
// text, or 0 when there is none (dsn_valid): a class digit 2, 4 or 5, a
// dot, one to three digits, a dot, one to three digits, then the end of
// the text or white space.
func Valid(text string) int {
	if len(text) < 2 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.' {
		return 0
	}
	i := 2
	n := digits(text[i:])
	if n < 1 || n > 3 || i+n >= len(text) || text[i+n] != '.' {
		return 0
	}
	i += n + 1
	n = digits(text[i:])
	if n < 1 || n > 3 {
		return 0
	}
	i += n
	if i < len(text) && !isSpace(text[i]) {
		return 0
	}
	return i
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isSpace is Postfix's ISSPACE.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// Split separates an optional leading status code from free text
// (dsn_split): "4.4.1 simulated deferral" gives "4.4.1" and "simulated
// deferral"; text without a code gives def. White space around the code
// is skipped. def must itself be a valid code.
func Split(def, text string) (status, rest string) {
	i := 0
	for i < len(text) && isSpace(text[i]) {
		i++
	}
	text = text[i:]
	if n := Valid(text); n > 0 {
		status = text[:n]
		text = text[n:]
		if text != "" {
			text = text[1:] // the white space after the code
		}
	} else if n := Valid(def); n > 0 {
		status = def[:n]
	} else {
		panic("dsn.Split: bad default status \"" + def + "\"")
	}
	i = 0
	for i < len(text) && isSpace(text[i]) {
		i++
	}
	return status, text[i:]
}

// Prepend turns free text into "X.Y.Z text" with def as the code unless
// the text has one (dsn_prepend).
func Prepend(def, text string) string {
	status, rest := Split(def, text)
	return status + " " + rest
}
