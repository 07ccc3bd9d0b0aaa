package bouncetmpl

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
)

// Env is what template expansion needs from the configuration.
type Env struct {
	// Lookup returns the expanded value of a main.cf parameter
	// (mail_conf_lookup_eval); ok is false when it is undefined.
	Lookup func(name string) (value string, ok bool)
	// DelayWarningTime and MaxQueueLifetime are in seconds; they feed
	// $delay_warning_time_hours and friends.
	DelayWarningTime, MaxQueueLifetime int
	// SMTPUTF8 is smtputf8_enable.
	SMTPUTF8 bool
	// ObsoleteFrom selects header_from_format = obsolete.
	ObsoleteFrom bool
}

// Set is the group of four templates bounce(8) works with.
type Set struct {
	Failure, Delay, Success, Verify *Template

	env          Env
	obsoleteFrom bool
	log          *msg.Logger
}

// New returns a Set holding the built-in templates.
func New(env Env, log *msg.Logger) *Set {
	s := &Set{env: env, obsoleteFrom: env.ObsoleteFrom, log: log}
	mk := func(class string) *Template { return &Template{class: class, set: s, cur: builtin(class)} }
	s.Failure, s.Delay, s.Success, s.Verify = mk(ClassFailure), mk(ClassDelay), mk(ClassSuccess), mk(ClassVerify)
	return s
}

func (s *Set) all() []*Template { return []*Template{s.Failure, s.Delay, s.Success, s.Verify} }

// Load reads a bounce_template_file: "CLASS_template = value" entries,
// where value may be a "<<MARKER" here-document. Replacements are parsed
// when first used. The error is fatal, in Postfix's words; warnings go
// to the Set's logger.
func (s *Set) Load(r io.Reader, path string) error {
	in := bufio.NewReader(r)
	// Postfix keeps reading lines into one buffer; the end-marker warning
	// shows what that buffer holds at end of file, so it is kept here too.
	var buf []byte
	atEOF := false // the last read hit end of file (a line without newline)
	readLine := func() bool {
		line, err := in.ReadString('\n')
		atEOF = err != nil
		if line == "" && err != nil {
			if len(buf) > 0 {
				buf[0] = 0
			}
			return false
		}
		line = strings.TrimSuffix(line, "\n")
		if len(buf) < len(line)+1 {
			nb := make([]byte, len(line)+1)
			copy(nb, buf)
			buf = nb
		}
		copy(buf, line)
		buf[len(line)] = 0
		return true
	}
	cstr := func(off int) string {
		if off >= len(buf) {
			return ""
		}
		b := buf[off:]
		for i, c := range b {
			if c == 0 {
				return string(b[:i])
			}
		}
		return string(b)
	}
	lineno := 1
	for readLine() {
		lineno++
		line := cstr(0)
		if t := strings.TrimLeft(line, " \t\n\v\f\r"); t == "" || t[0] == '#' {
			continue
		}
		name, value, err := mailconf.SplitNameValue(line)
		if err != nil {
			return fmt.Errorf("%s, line %d: %v: \"%s\"", path, lineno, err, line)
		}
		if strings.HasPrefix(value, "<<") {
			marker := strings.TrimLeft(value[2:], " \t\n\v\f\r")
			if marker == "" {
				return fmt.Errorf("%s, line %d: missing end marker after <<", path, lineno)
			}
			if !isAlnum(marker[0]) {
				return fmt.Errorf("%s, line %d: malformed end marker after <<", path, lineno)
			}
			markerOff := strings.LastIndex(line, value) + len(value) - len(marker)
			var text strings.Builder
			for readLine() {
				lineno++
				l := cstr(0)
				if l == marker {
					break
				}
				if text.Len() > 0 {
					text.WriteByte('\n')
				}
				text.WriteString(l)
			}
			if atEOF {
				s.log.Warnf("%s, line %d: missing \"%s\" end marker", path, lineno, cstr(markerOff))
			}
			value = text.String()
		}
		if t := s.member(name); t != nil {
			t.load(path, value)
		} else {
			s.log.Warnf("%s, line %d: unknown template name: %s -- ignoring this template", path, lineno, name)
		}
	}
	return nil
}

// member finds the template for a "CLASS_template" name.
func (s *Set) member(name string) *Template {
	for _, t := range s.all() {
		if name == t.class+"_template" {
			return t
		}
	}
	return nil
}

// Dump writes the templates as "postconf -t" shows them.
func (s *Set) Dump(w io.Writer) error {
	for i, t := range s.all() {
		c := t.parsed()
		from := c.stdFrom
		if s.obsoleteFrom {
			from = c.obsFrom
		}
		fmt.Fprintf(w, "%s_template = <<EOF\n", t.class)
		fmt.Fprintf(w, "Charset: %s\nFrom: %s\nSubject: %s\n", c.charset, from, c.subject)
		if c.pmSubject != "" {
			fmt.Fprintf(w, "Postmaster-Subject: %s\n", c.pmSubject)
		}
		fmt.Fprintf(w, "\n%s\nEOF\n", strings.Join(c.text, "\n"))
		if i < 3 {
			fmt.Fprintf(w, "\n")
		}
	}
	return nil
}

// ExpandAll writes the expanded texts as "postconf -b" shows them. The
// error is fatal (bad or undefined $name).
func (s *Set) ExpandAll(w io.Writer) error {
	for i, t := range s.all() {
		fmt.Fprintf(w, "expanded_%s_text = <<EOF\n", t.class)
		lines, err := t.Expand()
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintf(w, "%s\n", l)
		}
		fmt.Fprintf(w, "EOF\n")
		if i < 3 {
			fmt.Fprintf(w, "\n")
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
