package bouncetmpl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gopostfix/libglobal/util/mac"
)

// content is what a template says: its headers and its message text.
type content struct {
	origin            string // file name, or "[built-in]"
	charset, encoding string // encoding is "7bit" or "8bit"
	stdFrom, obsFrom  string
	subject           string
	pmSubject         string // "" when the class has no postmaster copy
	text              []string
}

// Template is one member of a Set.
type Template struct {
	class string
	set   *Set
	cur   content
	// buffer and bufOrigin hold a replacement text that is parsed when
	// the template is first used (bounce_template_load).
	buffer, bufOrigin string
	pending           bool
}

// Class returns "failure", "delay", "success" or "verify".
func (t *Template) Class() string { return t.class }

// load replaces the template with buffer from origin; parsing waits
// until the template is used.
func (t *Template) load(origin, buffer string) {
	t.cur = builtin(t.class)
	t.buffer, t.bufOrigin, t.pending = buffer, origin, true
}

// parsed returns the template in effect, parsing a pending replacement.
func (t *Template) parsed() *content {
	if t.pending {
		t.pending = false
		if c, ok := t.parse(); ok {
			t.cur = c
		} else {
			t.cur = builtin(t.class)
		}
	}
	return &t.cur
}

// parse reads a replacement template: pseudo-headers, blank lines, text.
func (t *Template) parse() (content, bool) {
	warn := t.set.log.Warnf
	c := builtin(t.class)
	c.origin = t.bufOrigin
	lines := strings.Split(t.buffer, "\n")
	i := 0
	for ; i < len(lines); i++ {
		line := lines[i]
		n := labelLen(line)
		if n == 0 {
			break
		}
		label := line[:n]
		val := strings.TrimLeft(line[n:], ": \t\n\v\f\r")
		if val == "" {
			warn("%s: empty \"%s\" header value in %s template -- ignoring this template", c.origin, label, t.class)
			return c, false
		}
		if !allASCII(val) {
			warn("%s: non-ASCII \"%s\" header value in %s template -- ignoring this template", c.origin, label, t.class)
			return c, false
		}
		switch strings.ToLower(label) {
		case "charset":
			c.charset = val
		case "from":
			c.stdFrom, c.obsFrom = val, val
		case "subject":
			c.subject = val
		case "postmaster-subject":
			if c.pmSubject == "" {
				warn("%s: inapplicable \"%s\" header label in %s template -- ignoring this template", c.origin, label, t.class)
				return c, false
			}
			c.pmSubject = val
		default:
			warn("%s: unknown \"%s\" header label in %s template -- ignoring this template", c.origin, label, t.class)
			return c, false
		}
	}
	for i < len(lines) && strings.Trim(lines[i], " \t\n\v\f\r") == "" {
		i++
	}
	if i >= len(lines) {
		warn("%s: missing message text in %s template -- ignoring this template", c.origin, t.class)
		return c, false
	}
	c.text = lines[i:]
	if !allASCII(strings.Join(c.text, "\n")) {
		if strings.EqualFold(c.charset, "us-ascii") {
			warn("%s: 8-bit message text in %s template", c.origin, t.class)
			warn("please specify a charset value other than us-ascii")
			warn("-- ignoring this template for now")
			return c, false
		}
		c.encoding = "8bit"
	}
	return c, true
}

// Charset returns the character set of the template text.
func (t *Template) Charset() string { return t.parsed().charset }

// Encoding returns "7bit" or "8bit" for the template text.
func (t *Template) Encoding() string { return t.parsed().encoding }

// Headers returns the From:, Subject: and To: header lines of a notice to
// rcpt (in RFC 822 external form). A postmaster copy uses the
// Postmaster-Subject when the class has one.
func (t *Template) Headers(rcpt string, postmasterCopy bool) []string {
	c := t.parsed()
	from := c.stdFrom
	if t.set.obsoleteFrom {
		from = c.obsFrom
	}
	subject := c.subject
	if postmasterCopy && c.pmSubject != "" {
		subject = c.pmSubject
	}
	return []string{"From: " + from, "Subject: " + subject, "To: " + rcpt}
}

// Expand returns the template text with $name references expanded. The
// error is a fatal one, in Postfix's words.
func (t *Template) Expand() ([]string, error) {
	c := t.parsed()
	out := make([]string, 0, len(c.text))
	for _, line := range c.text {
		var fatal error
		lookup := func(name string) (string, bool) {
			v, ok, err := t.lookup(c.origin, name)
			if err != nil && fatal == nil {
				fatal = err
			}
			return printable(v, t.set.env.SMTPUTF8), ok
		}
		s, undef, err := mac.Evaluate(line, lookup, mac.Options{
			Warn: func(w string) { t.set.log.Warnf("%s", w) }})
		if fatal != nil {
			return nil, fatal
		}
		if err != nil {
			return nil, fmt.Errorf("%s: bad $name syntax in %s template: %s", c.origin, t.class, line)
		}
		if undef {
			return nil, fmt.Errorf("%s: undefined $name in %s template: %s", c.origin, t.class, line)
		}
		out = append(out, s)
	}
	return out, nil
}

// timeDivisors are the unit suffixes of the time parameters.
var timeDivisors = []struct {
	suffix  string
	divisor int
}{{"seconds", 1}, {"minutes", 60}, {"hours", 3600}, {"days", 86400}, {"weeks", 7 * 86400}}

// lookup resolves one $name of a template text.
func (t *Template) lookup(origin, key string) (string, bool, error) {
	env := &t.set.env
	times := []struct {
		name  string
		value int
	}{{"delay_warning_time", env.DelayWarningTime}, {"maximal_queue_lifetime", env.MaxQueueLifetime}}
	for _, p := range times {
		if !strings.HasPrefix(key, p.name+"_") {
			continue
		}
		suffix := key[len(p.name)+1:]
		for _, d := range timeDivisors {
			if suffix != d.suffix {
				continue
			}
			r := p.value / d.divisor
			if r > 999 && d.divisor < 86400 {
				t.set.log.Warnf("%s: excessive result \"%d\" in %s template conversion of parameter \"%s\"", origin, r, t.class, key)
				t.set.log.Warnf("please increase time unit \"%s\" of \"%s\" in %s template", d.suffix, key, t.class)
				t.set.log.Warnf("for instructions see the bounce(5) manual")
			} else if r == 0 && p.value != 0 && d.divisor > 1 {
				t.set.log.Warnf("%s: zero result in %s template conversion of parameter \"%s\"", origin, t.class, key)
				t.set.log.Warnf("please reduce time unit \"%s\" of \"%s\" in %s template", d.suffix, key, t.class)
				t.set.log.Warnf("for instructions see the bounce(5) manual")
			}
			return fmt.Sprint(r), true, nil
		}
		return "", false, fmt.Errorf("%s: unrecognized suffix \"%s\" in parameter \"%s\"", origin, suffix, key)
	}
	if env.SMTPUTF8 && (key == "myhostname" || key == "mydomain") {
		v, ok := env.Lookup(key)
		if !allASCII(v) {
			t.set.log.Warnf("%s: conversion \"%s\" failed: non-ASCII input value: \"%s\"", origin, key, v)
			return v, ok, nil
		}
		u, err := domainToUTF8(v)
		if err != nil {
			t.set.log.Warnf("midna_domain_to_utf8_create: Problem translating domain \"%.100s\" to UTF8 form: %v", v, err)
			t.set.log.Warnf("%s: conversion \"%s\" failed: input value: \"%s\"", origin, key, v)
			return v, ok, nil
		}
		return u, ok, nil
	}
	v, ok := env.Lookup(key)
	return v, ok, nil
}

// labelLen is Postfix's is_header: the length of a header label that is
// followed (perhaps after blanks) by ':', else 0.
func labelLen(s string) int {
	n, inSpace := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			return n
		case c == ' ' || c == '\t':
			if n == 0 {
				return 0
			}
			inSpace = true
		case c >= 0x80 || c < 0x20 || c == 0x7f || inSpace:
			return 0
		default:
			n++
		}
	}
	return 0
}

func allASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// printable replaces bytes of a substituted value that are not printable
// ASCII with '_', keeping valid UTF-8 when utf8ok is set
// (MAC_EXP_FLAG_PRINTABLE with util_utf8_enable).
func printable(s string, utf8ok bool) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		if b[i] >= 0x80 && utf8ok {
			if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
				i += n
				continue
			}
		}
		if b[i] < 0x20 || b[i] >= 0x7f {
			b[i] = '_'
		}
		i++
	}
	return string(b)
}
