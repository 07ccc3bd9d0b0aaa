package smtpd

import "strings"

// filterCommand applies smtpd_command_filter to a command line before it
// is parsed: the line, without leading blanks, is the lookup key and a
// result replaces the whole line. A lookup error ends the session as
// other table errors do.
func (ss *Session) filterCommand(line string) string {
	spec := ss.cfg.CommandFilter
	if spec == "" {
		return line
	}
	key := strings.TrimLeft(line, " \t")
	var (
		value string
		found bool
		err   error = errNoTables
	)
	if ss.deps.OpenTable != nil {
		var t Table
		if t, err = ss.deps.OpenTable(spec); err == nil {
			value, found, err = t.Lookup(key)
		}
	}
	switch {
	case err != nil:
		ss.log.Warnf("%s lookup error for \"%s\"", spec, truncate(printable(line), 100))
		panic(abortData)
	case found:
		ss.log.Infof("%s: replacing command \"%s\" with \"%s\"", ss.namaddr, truncate(line, 100), truncate(value, 100))
		return value
	}
	return line
}
