package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// A Case is one conformance case read from a .case file.
//
// File format (see tests/README.md): header lines, then file sections.
//
//	# description
//	cmd: postconf -c "$DIR" -n        compared step: real vs ours
//	cmd real: postmap cdb:access      setup step: the real program on both sides
//	cmd ours: postmap cdb:access      setup step: our program on both sides
//	stdout: exact|sorted|set|ignore   (default exact)
//	stderr: exact|sorted|set|ignore   (default exact)
//	rc: exact|ignore                  (default exact)
//	files: all|ignore|only F...|except F...   (default all)
//	mask: REGEXP                      replaced by <MASK> in outputs and files
//	-- name [mode=0640] [base64] --   a file written into the case directory
//	-- stdin --                       standard input of every compared step
type Case struct {
	Name   string
	Steps  []Step
	Stdout string
	Stderr string
	RC     string
	Files  []string // first element is the mode: all, ignore, only, except
	Masks  []*regexp.Regexp
	Stdin  string
	Input  []InputFile
}

// Step is one command of a case.
type Step struct {
	Side    string // "" (compared), "real" or "ours"
	Command string
}

// InputFile is a file written into the case directory before the steps run.
type InputFile struct {
	Name   string
	Mode   os.FileMode
	Data   string
	Base64 bool // Data is base64 text, decoded when written (binary files)
}

var sectionRE = regexp.MustCompile(`^-- (\S+)(?: mode=(0[0-7]+))?( base64)? --$`)

func parseCase(name, text string) (*Case, error) {
	c := &Case{Name: name, Stdout: "exact", Stderr: "exact", RC: "exact", Files: []string{"all"}}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var cur *InputFile
	var body []string
	var badBase64 error
	flush := func() {
		if cur == nil {
			return
		}
		data := strings.Join(body, "\n")
		if len(body) > 0 {
			data += "\n"
		}
		if cur.Base64 {
			raw, err := base64.StdEncoding.DecodeString(strings.Join(body, ""))
			if err != nil {
				badBase64 = fmt.Errorf("%s: section %s: %v", name, cur.Name, err)
			}
			data = string(raw)
		}
		if cur.Name == "stdin" {
			c.Stdin = data
		} else {
			cur.Data = data
			c.Input = append(c.Input, *cur)
		}
		cur, body = nil, nil
	}
	lineno := 0
	for sc.Scan() {
		lineno++
		line := sc.Text()
		if m := sectionRE.FindStringSubmatch(line); m != nil {
			flush()
			cur = &InputFile{Name: m[1], Mode: 0644, Base64: m[3] != ""}
			if m[2] != "" {
				v, _ := strconv.ParseUint(m[2], 8, 32)
				cur.Mode = os.FileMode(v)
			}
			continue
		}
		if cur != nil {
			body = append(body, line)
			continue
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: expected 'key: value'", name, lineno)
		}
		val = strings.TrimSpace(val)
		switch fields := strings.Fields(key); {
		case len(fields) >= 1 && fields[0] == "cmd":
			side := ""
			if len(fields) == 2 && (fields[1] == "real" || fields[1] == "ours") {
				side = fields[1]
			} else if len(fields) != 1 {
				return nil, fmt.Errorf("%s:%d: bad cmd qualifier %q", name, lineno, key)
			}
			c.Steps = append(c.Steps, Step{Side: side, Command: val})
		case key == "stdout" || key == "stderr":
			switch val {
			case "exact", "sorted", "set", "ignore":
			default:
				return nil, fmt.Errorf("%s:%d: bad %s mode %q", name, lineno, key, val)
			}
			if key == "stdout" {
				c.Stdout = val
			} else {
				c.Stderr = val
			}
		case key == "rc":
			if val != "exact" && val != "ignore" {
				return nil, fmt.Errorf("%s:%d: bad rc mode %q", name, lineno, val)
			}
			c.RC = val
		case key == "files":
			f := strings.Fields(val)
			if len(f) == 0 || (f[0] != "all" && f[0] != "ignore" && f[0] != "only" && f[0] != "except") {
				return nil, fmt.Errorf("%s:%d: bad files mode %q", name, lineno, val)
			}
			c.Files = f
		case key == "mask":
			re, err := regexp.Compile(val)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, lineno, err)
			}
			c.Masks = append(c.Masks, re)
		default:
			return nil, fmt.Errorf("%s:%d: unknown key %q", name, lineno, key)
		}
	}
	flush()
	if badBase64 != nil {
		return nil, badBase64
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	compared := 0
	for _, s := range c.Steps {
		if s.Side == "" {
			compared++
		}
	}
	if compared == 0 {
		return nil, fmt.Errorf("%s: no compared 'cmd:' step", name)
	}
	return c, nil
}
