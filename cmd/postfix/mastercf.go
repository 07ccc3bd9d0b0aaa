package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"

	"gopostfix/libglobal/util/syserr"
)

// masterFile is master.cf as upgrade-configuration edits it: looked at
// with grep, extended with "cat >>" and changed in place with ed.
type masterFile struct {
	path string
}

// grep reports whether a line matches re; like grep it complains when the
// file cannot be read.
func (m *masterFile) grep(re *regexp.Regexp) bool {
	data, err := os.ReadFile(m.path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "grep: %s: %s\n", m.path, syserr.Text(err))
		return false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if re.Match(line) {
			return true
		}
	}
	return false
}

// add appends a service entry when no line matches the addition's pattern.
func (m *masterFile) add(a masterAddition) func() bool {
	re := regexp.MustCompile(a.want)
	return func() bool {
		if m.grep(re) {
			return true
		}
		fmt.Printf("Editing %s, adding missing entry for %s\n", m.path, a.name)
		f, err := os.OpenFile(m.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %s\n", m.path, syserr.Text(err))
			return false
		}
		_, err = f.WriteString(a.line + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err == nil
	}
}

// fix edits the first line that matches the fix's pattern, printing what
// ed prints: the size read, the line found, the line changed, the size
// written. A substitution that does not match is ed's "?" and makes the
// step fail after the file is written.
func (m *masterFile) fix(x masterFix) func() bool {
	return func() bool {
		if !m.grep(x.find) {
			return true
		}
		fmt.Printf("Editing %s, %s\n", m.path, x.what)
		data, err := os.ReadFile(m.path)
		if err != nil {
			return false
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			fmt.Println("Newline appended")
			data = append(data, '\n')
		}
		fmt.Println(len(data))
		lines := bytes.SplitAfter(data, []byte("\n"))
		ok := true
		for i, l := range lines {
			line := bytes.TrimSuffix(l, []byte("\n"))
			if !x.find.Match(line) {
				continue
			}
			fmt.Printf("%s\n", line)
			for _, s := range x.subs {
				loc := s.re.FindSubmatchIndex(line)
				if loc == nil {
					fmt.Println("?")
					ok = false
					continue
				}
				var out []byte
				out = append(out, line[:loc[0]]...)
				out = s.re.Expand(out, []byte(s.repl), line, loc)
				line = append(out, line[loc[1]:]...)
			}
			fmt.Printf("%s\n", line)
			lines[i] = append(line, '\n')
			break
		}
		data = bytes.Join(lines, nil)
		f, err := os.OpenFile(m.path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return false
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		fmt.Println(len(data))
		return ok && err == nil
	}
}
