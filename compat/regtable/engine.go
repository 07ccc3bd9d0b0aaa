package regtable

// Matcher is one compiled pattern, as an Engine returns it.
type Matcher interface {
	// Match runs the pattern on s: true on a match, false when there is
	// none, an error (the library's text) when matching failed.
	Match(s string) (bool, error)
	// Group returns the offsets of subexpression n of the last match; ok
	// is false when it did not take part.
	Group(n int) (start, end int, ok bool)
	// Groups returns the number of subexpressions in the pattern.
	Groups() int
	// Free releases the pattern.
	Free()
}

// OptionResult says what an option letter did.
type OptionResult int

const (
	OptionOK       OptionResult = iota // flags updated
	OptionUnknown                      // the rule is skipped with a warning
	OptionObsolete                     // a warning, and the letter is ignored
)

// Engine is a regular-expression library together with the details in
// which the two table types differ.
type Engine struct {
	// Type names the table type in warnings: "regexp map NAME, line N".
	Type string
	// DefaultFlags are the options of a pattern without option letters.
	DefaultFlags int
	// Option applies the option letter c to flags.
	Option func(c byte, flags int) (int, OptionResult)
	// SecondPattern allows "/p1/!/p2/": a '!' ends the option letters
	// and starts a second pattern that must not match (regexp).
	SecondPattern bool
	// BackslashAtEnd: a backslash that ends the line also ends the
	// pattern, without a closing delimiter (regexp's scanner).
	BackslashAtEnd bool
	// NoCloseVerb ends the "no closing regexp delimiter" warning:
	// "skipping" (regexp) or "ignoring" (pcre) "this rule".
	NoCloseVerb string
	// ZeroIndex is the wording of the warning about "$0":
	// "out-of-range" (regexp) or "out of range" (pcre).
	ZeroIndex string
	// Compile compiles a pattern; subs says whether the rule substitutes
	// subexpressions, so that Group must work after Match. The error text
	// follows "TYPE map NAME, line N: " in the warning.
	Compile func(pattern string, flags int, subs bool) (Matcher, error)
}
