package sqltable

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// Config is a database client's configuration (cfg_parser): the
// settings of a file when the table name starts with '/' or '.', or else
// the main.cf parameters named "NAME_setting".
type Config struct {
	// Name is the table name: the file path or the main.cf prefix.
	Name string
	// Owner is the provenance of the settings: the file's owner, or
	// trusted for main.cf.
	Owner dict.Owner

	file   map[string]string                // file settings, nil for main.cf
	params func(name string) (string, bool) // main.cf, expanded
}

// IsFile reports whether a table name names a configuration file rather
// than a main.cf prefix.
func IsFile(name string) bool {
	return strings.HasPrefix(name, "/") || strings.HasPrefix(name, ".")
}

// LoadConfig reads the configuration of table name. params gives main.cf
// values (nil: none are set). A file that cannot be opened gives an error
// of kind KindConfig, "open NAME: ERRNO" (the table becomes a surrogate);
// a malformed line gives one of kind KindFatal. Warnings about settings
// given twice go to log.
func LoadConfig(name string, params func(string) (string, bool), log *msg.Logger) (*Config, error) {
	c := &Config{Name: name, params: params, Owner: dict.Owner{Status: dict.OwnerTrusted}}
	if !IsFile(name) {
		return c, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, dict.Wrap(dict.KindConfig, err, "open %s", name)
	}
	defer f.Close()
	settings, err := ParseSettings(f, name, log)
	if err != nil {
		return nil, err
	}
	c.file = settings
	if st, err := f.Stat(); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != 0 {
			c.Owner = dict.Owner{Status: dict.OwnerUntrusted, UID: sys.Uid}
		}
	}
	return c, nil
}

// ParseSettings reads "name = value" logical lines as dict_load_fp does:
// the last setting of a name wins, with a warning when it changes the
// value; values are not expanded.
func ParseSettings(f interface{ Read([]byte) (int, error) }, path string, log *msg.Logger) (map[string]string, error) {
	lines, err := readlline.All(f, path, log)
	if err != nil {
		return nil, dict.Wrap(dict.KindFatal, errors.Unwrap(err), "read %s", path)
	}
	settings := map[string]string{}
	for _, l := range lines {
		name, value, err := mailconf.SplitNameValue(l.Text)
		if err != nil {
			return nil, dict.Fatalf("%s, line %d: %v: \"%s\"", path, l.First, err, l.Text)
		}
		if old, ok := settings[name]; ok && old != value {
			log.Warnf("%s, line %d: overriding earlier entry: %s=%s", path, l.First, name, old)
		}
		settings[name] = value
	}
	return settings, nil
}

// lookup returns a setting and the name to show in messages.
func (c *Config) lookup(name string) (value string, ok bool, shown string) {
	if c.file != nil {
		v, ok := c.file[name]
		return v, ok, name
	}
	full := c.Name + "_" + name
	if c.params == nil {
		return "", false, full
	}
	v, ok := c.params(full)
	return v, ok, full
}

// where is the message prefix for a bad setting: the file name, or
// nothing for main.cf (whose messages name the parameter in full).
func (c *Config) where() string {
	if c.file != nil {
		return c.Name + ": "
	}
	return ""
}

// Str returns a string setting, or def when it is not set; min and max,
// when not zero, bound its length (cfg_get_str).
func (c *Config) Str(name, def string, min, max int) (string, error) {
	v, ok, shown := c.lookup(name)
	if !ok {
		v = def
	}
	if n := len(v); min > 0 && n < min {
		return "", dict.Fatalf("%sbad string length %d < %d: %s = %s", c.where(), n, min, shown, v)
	} else if max > 0 && n > max {
		return "", dict.Fatalf("%sbad string length %d > %d: %s = %s", c.where(), n, max, shown, v)
	}
	return v, nil
}

// OptStr returns a setting that has no default: ok is false when it is
// not set or empty (cfg_get_str with a null default).
func (c *Config) OptStr(name string, min, max int) (value string, ok bool, err error) {
	v, err := c.Str(name, "", min, max)
	return v, v != "", err
}

// Int returns a numeric setting, or def (cfg_get_int).
func (c *Config) Int(name string, def, min, max int) (int, error) {
	v, ok, shown := c.lookup(name)
	n := def
	if ok {
		i, err := strconv.ParseInt(v, 10, 64)
		if err != nil || i < math.MinInt32 || i > math.MaxInt32 {
			return 0, dict.Fatalf("%sbad numerical configuration: %s = %s", c.where(), shown, v)
		}
		n = int(i)
	}
	if min != 0 && n < min {
		return 0, dict.Fatalf("%sinvalid %s parameter value %d < %d", c.where(), shown, n, min)
	}
	if max != 0 && n > max {
		return 0, dict.Fatalf("%sinvalid %s parameter value %d > %d", c.where(), shown, n, max)
	}
	return n, nil
}

// Bool returns a yes/no setting (case-insensitive), or def; def may be
// -1 for "not set" (cfg_get_bool).
func (c *Config) Bool(name string, def int) (int, error) {
	v, ok, shown := c.lookup(name)
	if !ok {
		return def, nil
	}
	switch {
	case strings.EqualFold(v, "yes"):
		return 1, nil
	case strings.EqualFold(v, "no"):
		return 0, nil
	}
	return 0, dict.Fatalf("%sbad boolean configuration: %s = %s", c.where(), shown, v)
}

// String names the configuration in debugging output.
func (c *Config) String() string { return fmt.Sprintf("sqltable.Config(%s)", c.Name) }
