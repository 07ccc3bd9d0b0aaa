package sasl

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// DefaultCyrusConfigPath is where Debian's libsasl2 2.1.28 itself looks
// for APP.conf when the application names no path.
const DefaultCyrusConfigPath = "/etc/sasl2:/etc/sasl:/usr/lib/x86_64-linux-gnu/sasl2:/usr/lib/sasl2"

// DebianConfigPath is where Debian's Postfix 3.7.11 has libsasl2 look
// for the application's configuration file (its smtpd carries the text
// "sasl:/usr/lib/sasl" and opens configDir/sasl/APP.conf, then
// /usr/lib/sasl/APP.conf, as strace shows).
func DebianConfigPath(configDir string) string { return configDir + "/sasl:/usr/lib/sasl" }

// ErrCyrusConfig is a configuration file that libsasl2 refuses
// (SASL_CONFIGERR).
var ErrCyrusConfig = errors.New("error when parsing configuration file")

// CyrusConfig is an application's SASL configuration file: the options
// in file order (the first of a repeated name wins) and where it was
// found ("" when no directory of the search path has one).
type CyrusConfig struct {
	File    string
	options map[string]string
}

// Option returns the value of an option, or def.
func (c CyrusConfig) Option(name, def string) string {
	if v, ok := c.options[name]; ok {
		return v
	}
	return def
}

// ReadCyrusConfig finds APP.conf in the first directory of the
// colon-separated search path that has one it can read, as libsasl2's
// sasl_server_init does; searchPath "" means DefaultCyrusConfigPath.
func ReadCyrusConfig(app, searchPath string) (CyrusConfig, error) {
	if searchPath == "" {
		searchPath = DefaultCyrusConfigPath
	}
	for _, dir := range strings.Split(searchPath, ":") {
		file := dir + "/" + app + ".conf"
		data, err := os.ReadFile(file)
		switch {
		case errors.Is(err, syscall.EISDIR):
			// fopen(3) opens a directory, and the first read ends
			// the file: a configuration without options.
			return CyrusConfig{File: file, options: map[string]string{}}, nil
		case err != nil:
			// sasl_config_init answers SASL_CONTINUE for a file it
			// cannot open, whatever the reason: on to the next one.
			continue
		}
		opts, err := ParseCyrusConfig(string(data))
		if err != nil {
			return CyrusConfig{}, fmt.Errorf("%s: %w", file, err)
		}
		return CyrusConfig{File: file, options: opts}, nil
	}
	return CyrusConfig{}, nil
}

// CyrusText is the text libsasl2 gives for err (sasl_errstring of its
// status), which smtpd logs: the context of a configuration error is
// dropped, other errors are shown whole.
func CyrusText(err error) string {
	if errors.Is(err, ErrCyrusConfig) {
		return ErrCyrusConfig.Error()
	}
	return err.Error()
}

// ParseCyrusConfig reads "name: value" lines as sasl_config_init does
// (white space is C's isspace: ASCII only): blank lines and lines
// starting with '#' are skipped, names (letters, digits, '-', '_') are
// folded to lower case, values lose surrounding white space; a line
// without a colon after the name or without a value is an error.
func ParseCyrusConfig(text string) (map[string]string, error) {
	opts := map[string]string{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimLeftFunc(line, isCSpace)
		if line == "" || line[0] == '#' {
			continue
		}
		i := 0
		for i < len(line) && isNameByte(line[i]) {
			i++
		}
		if i == len(line) || line[i] != ':' {
			return nil, fmt.Errorf("line %d: %w", n+1, ErrCyrusConfig)
		}
		value := strings.TrimFunc(line[i+1:], isCSpace)
		if value == "" {
			return nil, fmt.Errorf("line %d: %w", n+1, ErrCyrusConfig)
		}
		name := strings.ToLower(line[:i])
		if _, dup := opts[name]; !dup {
			opts[name] = value
		}
	}
	return opts, nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}
