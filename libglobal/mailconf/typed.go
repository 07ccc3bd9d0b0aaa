package mailconf

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gopostfix/libglobal/params"
)

// Spec says how to read a parameter that is not built in, such as the
// per-service "transport_destination_concurrency_limit" names Postfix
// reads with get_mail_conf_*2(): its default text and its bounds (0 means
// none; string bounds are on the length). Raw values are not expanded.
type Spec struct {
	Default  string
	Min, Max int64
	Raw      bool
}

// specOf is the built-in definition of name. A computed default is only
// worked out when name is not set.
func (c *Config) specOf(name string) (Spec, error) {
	p, ok := params.Lookup(name)
	if !ok {
		return Spec{}, fmt.Errorf("unknown parameter: %s", name)
	}
	s := Spec{Default: p.Default, Min: p.Min, Max: p.Max, Raw: p.Raw}
	if p.Computed && !c.IsSet(name) {
		var err error
		s.Default, _, err = c.Default(name)
		return s, err
	}
	return s, nil
}

// value returns the value of name as get_mail_conf_*() find it: the
// setting expanded, else the default expanded; raw values as they are.
func (c *Config) value(name string, s Spec) (string, error) {
	v, ok := c.setting(name)
	if !ok {
		v = s.Default
	}
	if s.Raw {
		return v, nil
	}
	return c.Expand(v)
}

// Str returns the expanded value of a parameter (raw parameters
// unexpanded), checked against its length bounds. A name that is not
// built in but set (a user-defined name) has no bounds.
func (c *Config) Str(name string) (string, error) {
	if _, builtin := params.Lookup(name); !builtin {
		if v, ok := c.setting(name); ok {
			return c.Expand(v)
		}
	}
	s, err := c.specOf(name)
	if err != nil {
		return "", err
	}
	return c.StrSpec(name, s)
}

// Param is Str in the form of a lookup function, for code that reads
// parameters by name (dict.Registry.Params): ok is false for a name that
// is neither built in nor set, and for a value that is not valid.
func (c *Config) Param(name string) (string, bool) {
	v, err := c.Str(name)
	return v, err == nil
}

// StrSpec returns a string parameter read with an explicit definition.
func (c *Config) StrSpec(name string, s Spec) (string, error) {
	v, err := c.value(name, s)
	if err != nil {
		return "", err
	}
	n := int64(len(v))
	format := "bad string length %d %s %d: %s = %s"
	if s.Raw {
		format = "bad string length (%d %s %d): %s = %s"
	}
	if s.Min != 0 && n < s.Min {
		return "", fmt.Errorf(format, n, "<", s.Min, name, v)
	}
	if s.Max != 0 && n > s.Max {
		return "", fmt.Errorf(format, n, ">", s.Max, name, v)
	}
	return v, nil
}

// Bool returns a yes/no parameter (either case).
func (c *Config) Bool(name string) (bool, error) {
	s, err := c.specOf(name)
	if err != nil {
		return false, err
	}
	return c.BoolSpec(name, s)
}

// BoolSpec returns a yes/no parameter read with an explicit definition.
func (c *Config) BoolSpec(name string, s Spec) (bool, error) {
	v, err := c.value(name, s)
	if err != nil {
		return false, err
	}
	switch {
	case strings.EqualFold(v, "yes"):
		return true, nil
	case strings.EqualFold(v, "no"):
		return false, nil
	}
	return false, fmt.Errorf("bad boolean configuration: %s = %s", name, v)
}

// number converts a whole decimal value within [lo, hi] and checks the
// bounds, as get_mail_conf_int/long do.
func (c *Config) number(name string, s Spec, lo, hi int64) (int64, error) {
	v, err := c.value(name, s)
	if err != nil {
		return 0, err
	}
	n, end, overflow := strtol(v)
	if v == "" || end != len(v) || overflow || n < lo || n > hi {
		return 0, fmt.Errorf("bad numerical configuration: %s = %s", name, v)
	}
	if s.Min != 0 && n < s.Min {
		return 0, fmt.Errorf("invalid %s parameter value %d < %d", name, n, s.Min)
	}
	if s.Max != 0 && n > s.Max {
		return 0, fmt.Errorf("invalid %s parameter value %d > %d", name, n, s.Max)
	}
	return n, nil
}

// Int returns an integer parameter; like Postfix's int it holds 32 bits.
func (c *Config) Int(name string) (int, error) {
	s, err := c.specOf(name)
	if err != nil {
		return 0, err
	}
	return c.IntSpec(name, s)
}

// IntSpec returns an integer parameter read with an explicit definition.
func (c *Config) IntSpec(name string, s Spec) (int, error) {
	n, err := c.number(name, s, math.MinInt32, math.MaxInt32)
	return int(n), err
}

// Long returns a long (64-bit) parameter.
func (c *Config) Long(name string) (int64, error) {
	s, err := c.specOf(name)
	if err != nil {
		return 0, err
	}
	return c.LongSpec(name, s)
}

// LongSpec returns a long parameter read with an explicit definition.
func (c *Config) LongSpec(name string, s Spec) (int64, error) {
	return c.number(name, s, math.MinInt64, math.MaxInt64)
}

// Size returns a byte count: a Long parameter, or an Int one (Postfix
// keeps several sizes, such as header_size_limit, in an int).
func (c *Config) Size(name string) (int64, error) {
	if p, ok := params.Lookup(name); ok && p.Kind == params.Int {
		n, err := c.Int(name)
		return int64(n), err
	}
	return c.Long(name)
}

// Time returns a time parameter. A number without a unit takes the
// default's unit: the first letter of the default as expanded in this
// configuration, as get_mail_conf_time does.
func (c *Config) Time(name string) (time.Duration, error) {
	p, ok := params.Lookup(name)
	if !ok || p.Kind != params.Time {
		return 0, fmt.Errorf("not a time parameter: %s", name)
	}
	return c.TimeSpec(name, Spec{Default: p.Default, Min: p.Min, Max: p.Max})
}

// TimeSpec returns a time parameter read with an explicit definition; the
// default text carries the default unit ("300s").
func (c *Config) TimeSpec(name string, s Spec) (time.Duration, error) {
	def, err := c.Expand(s.Default)
	if err != nil {
		return 0, err
	}
	i := strings.IndexFunc(def, func(r rune) bool { return r < 128 && isAlpha(byte(r)) })
	if i < 0 {
		return 0, fmt.Errorf("parameter %s: missing time unit in default value: %s", name, s.Default)
	}
	v, err := c.value(name, s)
	if err != nil {
		return 0, err
	}
	secs, ok := ConvTime(v, def[i])
	if !ok {
		return 0, fmt.Errorf("parameter %s: bad time value or unit: %s", name, v)
	}
	if s.Min != 0 && secs < s.Min {
		return 0, fmt.Errorf("invalid %s: %d (min %d)", name, secs, s.Min)
	}
	if s.Max != 0 && secs > s.Max {
		return 0, fmt.Errorf("invalid %s: %d (max %d)", name, secs, s.Max)
	}
	return time.Duration(secs) * time.Second, nil
}

// List returns a list parameter split on commas and white space; a {}
// group is one element, braces included (mystrtokq with "{}").
func (c *Config) List(name string) ([]string, error) {
	v, err := c.Str(name)
	if err != nil {
		return nil, err
	}
	return SplitList(v), nil
}

// SplitList splits text on ", \t\r\n" outside {} groups.
func SplitList(s string) []string {
	var out []string
	for {
		s = strings.TrimLeft(s, listSep)
		if s == "" {
			return out
		}
		level, i := 0, 0
		for ; i < len(s); i++ {
			ch := s[i]
			if ch == '{' {
				level++
			} else if level > 0 && ch == '}' {
				level--
			} else if level == 0 && strings.IndexByte(listSep, ch) >= 0 {
				break
			}
		}
		out = append(out, s[:i])
		s = s[i:]
	}
}

// listSep is Postfix's CHARS_COMMA_SP.
const listSep = ", \t\r\n"
