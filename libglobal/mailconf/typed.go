package mailconf

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gopostfix/libglobal/params"
)

// value returns the expanded value of name the way get_mail_conf_*() find
// it: the setting expanded, else the default expanded. Raw parameters are
// returned as they are.
func (c *Config) value(name string) (string, *params.Param, error) {
	p, builtin := params.Lookup(name)
	raw, ok := c.setting(name)
	if !ok {
		var err error
		if raw, ok, err = c.Default(name); err != nil {
			return "", p, err
		}
	}
	if !ok {
		return "", nil, fmt.Errorf("unknown parameter: %s", name)
	}
	if builtin && p.Raw {
		return raw, p, nil
	}
	v, err := c.Expand(raw)
	return v, p, err
}

// Str returns the expanded value of name (raw parameters unexpanded),
// checked against the length bounds of a built-in parameter.
func (c *Config) Str(name string) (string, error) {
	v, p, err := c.value(name)
	if err != nil || p == nil {
		return v, err
	}
	n := int64(len(v))
	format := "bad string length %d %s %d: %s = %s"
	if p.Raw {
		format = "bad string length (%d %s %d): %s = %s"
	}
	if p.Min != 0 && n < p.Min {
		return "", fmt.Errorf(format, n, "<", p.Min, name, v)
	}
	if p.Max != 0 && n > p.Max {
		return "", fmt.Errorf(format, n, ">", p.Max, name, v)
	}
	return v, nil
}

// Bool returns a yes/no parameter (either case).
func (c *Config) Bool(name string) (bool, error) {
	v, _, err := c.value(name)
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
// parameter's bounds, as get_mail_conf_int/long do.
func (c *Config) number(name string, lo, hi int64) (int64, error) {
	v, p, err := c.value(name)
	if err != nil {
		return 0, err
	}
	n, end, overflow := strtol(v)
	if v == "" || end != len(v) || overflow || n < lo || n > hi {
		return 0, fmt.Errorf("bad numerical configuration: %s = %s", name, v)
	}
	if p != nil && p.Min != 0 && n < p.Min {
		return 0, fmt.Errorf("invalid %s parameter value %d < %d", name, n, p.Min)
	}
	if p != nil && p.Max != 0 && n > p.Max {
		return 0, fmt.Errorf("invalid %s parameter value %d > %d", name, n, p.Max)
	}
	return n, nil
}

// Int returns an integer parameter; like Postfix's int it holds 32 bits.
func (c *Config) Int(name string) (int, error) {
	n, err := c.number(name, math.MinInt32, math.MaxInt32)
	return int(n), err
}

// Long returns a long (64-bit) parameter.
func (c *Config) Long(name string) (int64, error) {
	return c.number(name, math.MinInt64, math.MaxInt64)
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
	def, err := c.Expand(p.Default)
	if err != nil {
		return 0, err
	}
	i := strings.IndexFunc(def, func(r rune) bool { return r < 128 && isAlpha(byte(r)) })
	if i < 0 {
		return 0, fmt.Errorf("parameter %s: missing time unit in default value: %s", name, p.Default)
	}
	v, _, err := c.value(name)
	if err != nil {
		return 0, err
	}
	secs, ok := ConvTime(v, def[i])
	if !ok {
		return 0, fmt.Errorf("parameter %s: bad time value or unit: %s", name, v)
	}
	if p.Min != 0 && secs < p.Min {
		return 0, fmt.Errorf("invalid %s: %d (min %d)", name, secs, p.Min)
	}
	if p.Max != 0 && secs > p.Max {
		return 0, fmt.Errorf("invalid %s: %d (max %d)", name, secs, p.Max)
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
