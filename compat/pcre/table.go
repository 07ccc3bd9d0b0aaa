package pcre

import (
	"gopostfix/compat/regtable"
	"gopostfix/libglobal/util/dict"
)

// Engine describes the "pcre" table type to the shared rule parser:
// CASELESS | DOTALL by default; option letters i, m, s, x, A, E and U
// toggle CASELESS, MULTILINE, DOTALL, EXTENDED, ANCHORED, DOLLAR_ENDONLY
// and UNGREEDY; X (PCRE1's EXTRA) is obsolete with PCRE2 and only warned
// about, as by a Postfix built with PCRE2.
func Engine() *regtable.Engine {
	return &regtable.Engine{
		Type:         "pcre",
		DefaultFlags: Caseless | DotAll,
		Option: func(c byte, flags int) (int, regtable.OptionResult) {
			bits := map[byte]int{'i': Caseless, 'm': Multiline, 's': DotAll, 'x': Extended,
				'A': Anchored, 'E': DollarEndOnly, 'U': Ungreedy}
			if b, ok := bits[c]; ok {
				return flags ^ b, regtable.OptionOK
			}
			if c == 'X' {
				return flags, regtable.OptionObsolete
			}
			return flags, regtable.OptionUnknown
		},
		NoCloseVerb: "ignoring",
		ZeroIndex:   "out of range",
		Compile: func(pattern string, flags int, _ bool) (regtable.Matcher, error) {
			c, err := Compile(pattern, uint32(flags))
			if err != nil {
				return nil, err
			}
			return c, nil
		},
	}
}

// Register adds the "pcre" table type to r.
func Register(r *dict.Registry) {
	r.Register("pcre", func(req dict.OpenRequest) (dict.Dict, error) {
		return regtable.Open(Engine(), req)
	})
}
