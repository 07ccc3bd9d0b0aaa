package regexp

import (
	"gopostfix/compat/regtable"
	"gopostfix/libglobal/util/dict"
)

// Engine describes the "regexp" table type to the shared rule parser:
// REG_EXTENDED | REG_ICASE by default, option letters i (ICASE), m
// (NEWLINE) and x (EXTENDED) toggling them, and regexp's "/p1/!/p2/".
func Engine() *regtable.Engine {
	return &regtable.Engine{
		Type:         "regexp",
		DefaultFlags: Extended | ICase,
		Option: func(c byte, flags int) (int, regtable.OptionResult) {
			switch c {
			case 'i':
				return flags ^ ICase, regtable.OptionOK
			case 'm':
				return flags ^ Newline, regtable.OptionOK
			case 'x':
				return flags ^ Extended, regtable.OptionOK
			}
			return flags, regtable.OptionUnknown
		},
		SecondPattern:  true,
		BackslashAtEnd: true,
		NoCloseVerb:    "skipping",
		ZeroIndex:      "out-of-range",
		Compile: func(pattern string, flags int, subs bool) (regtable.Matcher, error) {
			x, err := Compile(pattern, flags, subs)
			if err != nil {
				return nil, err
			}
			return x, nil
		},
	}
}

// Register adds the "regexp" table type to r.
func Register(r *dict.Registry) {
	r.Register("regexp", func(req dict.OpenRequest) (dict.Dict, error) {
		return regtable.Open(Engine(), req)
	})
}
