package main

import (
	"bufio"
	"os"
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
)

// mainEdit is one -e/-X/-# request.
type mainEdit struct {
	value string // new value for -e
	found int
}

// editMain rewrites main.cf for -e (set), -X (remove) and -# (comment
// out), keeping every other byte of the file, as postconf_edit.c does.
func (pc *postconf) editMain(args []string) {
	log := pc.log
	edits := map[string]*mainEdit{}
	var order []string
	for _, arg := range args {
		if strings.Contains(arg, "\n") {
			log.Fatalf("-e, -X, or -# accepts no multi-line input")
		}
		cp := strings.TrimLeftFunc(arg, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
		if strings.HasPrefix(cp, "#") {
			log.Fatalf("-e, -X, or -# accepts no comment input")
		}
		var name, value string
		if pc.mode&editConf != 0 {
			var err error
			if name, value, err = mailconf.SplitNameValue(cp); err != nil {
				log.Fatalf("%s: \"%s\"", err, cp)
			}
		} else {
			if cp == "" {
				log.Fatalf("-X or -# requires non-blank parameter names")
			}
			if strings.Contains(cp, "=") {
				log.Fatalf("-X or -# requires parameter names without value")
			}
			name = strings.TrimRightFunc(cp, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
		}
		if old, ok := edits[name]; ok {
			oldValue := old.value
			if pc.mode&editConf == 0 {
				oldValue = "(null)" // Postfix prints a null pointer here
			}
			log.Warnf("ignoring earlier request: '%s = %s'", name, oldValue)
			order = removeString(order, name)
		}
		edits[name] = &mainEdit{value: value}
		order = append(order, name)
	}

	path := pc.configDir() + "/main.cf"
	ef, err := openEditFile(path, 0644)
	if err != nil {
		log.Fatalf("open %s.tmp: %s", path, dict.ErrnoText(err))
	}
	src, err := os.Open(path)
	if err != nil {
		ef.abort()
		log.Fatalf("open %s for reading: %s", path, dict.ErrnoText(err))
	}
	dst := bufio.NewWriter(ef)
	rd := newCfReader(src)
	var current *mainEdit // the entry being edited, nil if none
	for {
		line, ok, err := rd.next(dst)
		if err != nil {
			log.Fatalf("read %s: %s", path, dict.ErrnoText(err))
		}
		if !ok {
			break
		}
		if isSpace(line[0]) { // continuation of the current entry
			switch {
			case current == nil:
				dst.WriteString(line)
			case pc.mode&commentOut != 0:
				dst.WriteString("#" + line)
			}
			continue
		}
		key := line[:strings.IndexAny(line+"=", " \t\r\n=")]
		current = edits[key]
		switch {
		case current == nil:
			dst.WriteString(line)
		default:
			current.found++
			if current.found == 2 {
				log.Warnf("%s: multiple entries for \"%s\"", path, key)
			}
			if pc.mode&editConf != 0 {
				dst.WriteString(key + " = " + current.value + "\n")
			} else if pc.mode&commentOut != 0 {
				dst.WriteString("#" + line)
			}
		}
	}
	if pc.mode&editConf != 0 {
		for _, name := range htableOrder(len(args), order) {
			if e := edits[name]; e.found == 0 {
				dst.WriteString(name + " = " + e.value + "\n")
			}
		}
	}
	src.Close()
	if err := dst.Flush(); err != nil {
		ef.abort()
		log.Fatalf("close %s.tmp: %s", path, dict.ErrnoText(err))
	}
	if err := ef.commit(); err != nil {
		log.Fatalf("close %s.tmp: %s", path, dict.ErrnoText(err))
	}
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
