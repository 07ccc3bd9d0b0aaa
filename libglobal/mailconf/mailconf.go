// Package mailconf reads main.cf and gives typed, lazily expanded access to
// parameters, as Postfix's mail_conf(3) family does (src/global/mail_conf.c,
// mail_conf_{str,raw,bool,int,long,time,nint,nbool}.c, dict_load_fp in
// src/util/dict.c): main.cf is read into a raw name = value table, nothing
// is expanded at read time, and a value is expanded (recursively, with the
// "level" operator suffix) when a program fetches it.
//
// A name resolves to its override (-o name=value), else its main.cf
// value, else its built-in default from package params (computed ones such
// as myhostname and mynetworks included), else it is undefined.
//
// Deliberate differences: Postfix daemons only know the defaults of the
// parameters they have already fetched, so a $name reference to a
// parameter not yet fetched expands to nothing there; here every built-in
// default is visible, as in postconf. main.cf is read once (Postfix reads
// a file again while it is being modified).
package mailconf

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/mac"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// DefaultDir is the compiled-in configuration directory.
const DefaultDir = "/etc/postfix"

// EnvDir is the environment variable that names the configuration
// directory (Postfix's CONF_ENV_PATH).
const EnvDir = "MAIL_CONFIG"

// Entry is one "name = value" logical line of main.cf.
type Entry struct {
	Name  string
	Value string // raw: leading and trailing white space removed, nothing expanded
	First int    // first physical line
	Last  int    // last physical line
}

// Config is a main.cf name space: settings, overrides and built-in
// defaults. It is safe for concurrent use.
type Config struct {
	dir     string
	log     *msg.Logger
	entries []Entry
	values  map[string]string // main.cf settings, last one wins
	over    map[string]string // overrides, and config_directory when chosen
	relops  map[string]mac.Relop

	mu       sync.Mutex
	host     *params.Host
	computed map[string]string // computed defaults, worked out once
	busy     map[string]bool   // computed defaults being worked out
}

// New returns a Config without main.cf settings, as "postconf -d" sees
// the world. dir is the configuration directory ("" means DefaultDir).
func New(dir string, log *msg.Logger) *Config {
	if dir == "" {
		dir = DefaultDir
	}
	return &Config{
		dir:      dir,
		log:      log,
		values:   map[string]string{},
		over:     map[string]string{},
		relops:   params.Relops(),
		computed: map[string]string{},
		busy:     map[string]bool{},
	}
}

// Load reads configDir/main.cf. An empty configDir means $MAIL_CONFIG, or
// DefaultDir when that is not set; a directory chosen by either is also
// the value of config_directory, as Postfix programs record it. Warnings
// (duplicate entries, bad lines) go to log; errors are worded as Postfix's
// fatal messages.
func Load(configDir string, log *msg.Logger) (*Config, error) {
	dir := configDir
	if dir == "" {
		dir = os.Getenv(EnvDir)
	}
	c := New(dir, log)
	if dir != "" {
		c.over["config_directory"] = dir
	}
	path := c.dir + "/main.cf"
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %s", path, dict.ErrnoText(err))
	}
	defer f.Close()
	if err := c.read(f, path); err != nil {
		return nil, err
	}
	return c, nil
}

// read parses main.cf text, as dict_load_fp does.
func (c *Config) read(f io.Reader, path string) error {
	lines, err := readlline.All(f, path, c.log)
	if err != nil {
		return fmt.Errorf("read %s: %s", path, dict.ErrnoText(errors.Unwrap(err)))
	}
	for _, l := range lines {
		name, value, err := SplitNameValue(l.Text)
		if err != nil {
			return fmt.Errorf("%s, line %d: %v: \"%s\"", path, l.First, err, l.Text)
		}
		if old, ok := c.values[name]; ok && old != value {
			c.log.Warnf("%s, line %d: overriding earlier entry: %s=%s", path, l.First, name, old)
		}
		c.values[name] = value
		c.entries = append(c.entries, Entry{Name: name, Value: value, First: l.First, Last: l.Last})
	}
	return nil
}

// Dir returns the configuration directory.
func (c *Config) Dir() string { return c.dir }

// Entries returns main.cf's entries in file order, duplicates included.
func (c *Config) Entries() []Entry {
	return append([]Entry(nil), c.entries...)
}

// Override sets name=value with the highest precedence, as -o does; the
// value is visible to $name references from every other value.
func (c *Config) Override(name, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.over[name] = value
	// Computed defaults may depend on the new value.
	c.computed = map[string]string{}
}

// SetHost replaces the host facts computed defaults are made from (by
// default those of this host and process, gathered when first needed).
func (c *Config) SetHost(h *params.Host) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.host = h
	c.computed = map[string]string{}
}

// setting returns the raw override or main.cf value of name.
func (c *Config) setting(name string) (string, bool) {
	c.mu.Lock()
	v, ok := c.over[name]
	c.mu.Unlock()
	if ok {
		return v, true
	}
	v, ok = c.values[name]
	return v, ok
}

// IsSet reports whether name is set in main.cf or overridden.
func (c *Config) IsSet(name string) bool {
	_, ok := c.setting(name)
	return ok
}

// Raw returns the unexpanded value of name: its override, else its main.cf
// value, else its built-in default text (for a computed default, the
// computed value). ok is false for a name that is none of these.
func (c *Config) Raw(name string) (string, bool) {
	if v, ok := c.setting(name); ok {
		return v, true
	}
	v, ok, err := c.Default(name)
	return v, ok && err == nil
}

// Default returns the built-in default text of name, computing it for the
// host-dependent parameters; ok is false for names that are not built in.
func (c *Config) Default(name string) (value string, ok bool, err error) {
	p, ok := params.Lookup(name)
	if !ok {
		return "", false, nil
	}
	if !p.Computed {
		return p.Default, true, nil
	}
	c.mu.Lock()
	v, done := c.computed[name]
	h, busy := c.host, c.busy[name]
	if !done && !busy {
		c.busy[name] = true
		defer func() {
			c.mu.Lock()
			delete(c.busy, name)
			c.mu.Unlock()
		}()
	}
	c.mu.Unlock()
	if done {
		return v, true, nil
	}
	if busy {
		// A setting the default is computed from refers back to it.
		return "", true, fmt.Errorf("parameter %s: default value depends on itself", name)
	}
	if h == nil {
		if h, err = params.LocalHost(); err != nil {
			return "", true, err
		}
		c.mu.Lock()
		c.host = h
		c.mu.Unlock()
	}
	if v, err = params.ComputedDefault(name, h, c); err != nil {
		return "", true, err
	}
	c.mu.Lock()
	c.computed[name] = v
	c.mu.Unlock()
	return v, true, nil
}

// lookup resolves a $name reference.
func (c *Config) lookup(name string) (string, bool) {
	return c.Raw(name)
}

// ExpandError is a failed expansion; its text is what Postfix programs
// die with. The warnings have been logged already.
type ExpandError struct {
	Warnings []string
}

func (e *ExpandError) Error() string { return "dictionary mail_dict: macro processing error" }

// Expand expands text recursively in this name space. Warnings are logged
// as they happen; failure is an *ExpandError.
func (c *Config) Expand(text string) (string, error) {
	opts := mac.Options{Recurse: true, Relops: c.relops}
	if c.log != nil {
		opts.Warn = func(s string) { c.log.Warnf("%s", s) }
	}
	out, err := mac.Expand(text, c.lookup, opts)
	var me *mac.Error
	if errors.As(err, &me) {
		return "", &ExpandError{Warnings: me.Warnings}
	}
	return out, err
}

// Setting implements params.Resolver: the expanded value of a name set in
// main.cf or overridden.
func (c *Config) Setting(name string) (string, bool, error) {
	v, ok := c.setting(name)
	if !ok {
		return "", false, nil
	}
	v, err := c.Expand(v)
	return v, true, err
}

// SplitNameValue splits "name = value" as Postfix's split_nameval does:
// the name ends at white space or '='; the value is trimmed. The errors
// are Postfix's texts.
func SplitNameValue(line string) (name, value string, err error) {
	s := strings.TrimLeft(line, spaceChars)
	if s == "" || s[0] == '=' {
		return "", "", errors.New("missing attribute name")
	}
	end := strings.IndexAny(s, spaceChars+"=")
	if end < 0 {
		return "", "", errors.New("missing '=' after attribute name")
	}
	rest := strings.TrimLeft(s[end:], spaceChars)
	if rest == "" || rest[0] != '=' {
		return "", "", errors.New("missing '=' after attribute name")
	}
	return s[:end], strings.Trim(rest[1:], spaceChars), nil
}

// spaceChars is C's isspace set.
const spaceChars = " \t\n\v\f\r"
