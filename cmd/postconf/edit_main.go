package main

import (
	"strings"

	"gopostfix/libglobal/mailconf"
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
		cp := pc.editInput(arg, "-e, -X, or -# accepts")
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
			name = strings.TrimRightFunc(cp, isSpaceRune)
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

	e := pc.beginEdit("main.cf")
	var current *mainEdit // the entry being edited, nil if none
	for {
		line, ok := e.next()
		if !ok {
			break
		}
		if isSpace(line[0]) { // continuation of the current entry
			e.keep(line, current != nil)
			continue
		}
		key := line[:strings.IndexAny(line+"=", " \t\r\n=")]
		current = edits[key]
		if current == nil {
			e.keep(line, false)
			continue
		}
		current.found++
		if current.found == 2 {
			log.Warnf("%s: multiple entries for \"%s\"", e.path, key)
		}
		if pc.mode&editConf != 0 {
			e.dst.WriteString(key + " = " + current.value + "\n")
		} else {
			e.keep(line, true)
		}
	}
	if pc.mode&editConf != 0 {
		for _, name := range htableOrder(len(args), order) {
			if ed := edits[name]; ed.found == 0 {
				e.dst.WriteString(name + " = " + ed.value + "\n")
			}
		}
	}
	e.finish()
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
