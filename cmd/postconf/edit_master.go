package main

import (
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/mastercf"
	"gopostfix/libglobal/util/dict"
)

// masterEdit is one -Me/-MX/-M#/-Fe/-Pe/-PX request.
type masterEdit struct {
	raw     string
	pattern servicePattern
	field   int    // -F
	param   string // -P
	value   string // new value with -e
	matches int
}

const masterEditOpts = "-Me, -Fe, -Pe, -X, or -#"

// parseMasterEdits checks the requests before anything is touched.
func (pc *postconf) parseMasterEdits(args []string) []*masterEdit {
	log := pc.log
	var reqs []*masterEdit
	for _, arg := range args {
		req := &masterEdit{raw: arg}
		cp := pc.editInput(arg, masterEditOpts+" accept")
		var pattern string
		if pc.mode&editConf != 0 {
			var err error
			if pattern, req.value, err = mailconf.SplitNameValue(cp); err != nil {
				log.Fatalf("%s: \"%s\"", err, arg)
			}
		} else {
			if strings.Contains(cp, "=") {
				log.Fatalf("-X or -# requires names without value")
			}
			pattern = strings.TrimRightFunc(cp, isSpaceRune)
		}
		switch pc.mode & masterModes {
		case masterEntry:
			if req.pattern = parseServicePattern(pattern, 2, 2); req.pattern == nil {
				log.Fatalf("-Me, -MX or -M# requires service_name/type")
			}
		case masterField:
			if req.pattern = parseServicePattern(pattern, 3, 3); req.pattern == nil {
				log.Fatalf("-Fe or -FX requires service_name/type/field_name")
			}
			if req.field = pc.parseFieldPattern(req.pattern[2]); req.field < 0 {
				log.Fatalf("-Fe does not accept wild-card field name")
			}
			if pc.mode&editConf != 0 && req.field < mastercf.FieldCommand &&
				strings.ContainsAny(req.value, mastercf.Blanks) {
				log.Fatalf("-Fe does not accept whitespace in non-command field")
			}
		case masterParam:
			if req.pattern = parseServicePattern(pattern, 3, 3); req.pattern == nil {
				log.Fatalf("-Pe or -PX requires service_name/type/parameter")
			}
			if req.param = req.pattern[2]; req.param == "*" {
				log.Fatalf("-Pe does not accept wild-card parameter name")
			}
			if pc.mode&editConf != 0 && strings.ContainsAny(req.value, mastercf.Blanks) {
				log.Fatalf("-Pe does not accept whitespace in parameter value")
			}
		}
		reqs = append(reqs, req)
	}
	return reqs
}

// parseEntry parses a new or edited entry. A bad field value is fatal
// right away, as in postconf; a short entry is left to the caller.
func (pc *postconf) parseEntry(text string) (*mastercf.Entry, error) {
	e, err := mastercf.Parse(text, pc.log)
	if err != nil && err != mastercf.ErrBadFieldCount {
		pc.log.Fatalf("%s", err)
	}
	return e, err
}

// newEntry parses the entry given on the command line for -Me.
func (pc *postconf) newEntry(req *masterEdit) *mastercf.Entry {
	e, err := pc.parseEntry(req.value)
	if err != nil {
		pc.log.Fatalf("%s: \"%s\"", err, req.raw)
	}
	return e
}

// editMaster rewrites master.cf for the -M, -F and -P editing modes,
// copying everything it does not change, as postconf_edit.c does.
func (pc *postconf) editMaster(args []string) {
	log := pc.log
	reqs := pc.parseMasterEdits(args)
	e := pc.beginEdit("master.cf")
	path, rd := e.path, e.rd
	wholeEntry := pc.mode&masterEntry != 0 && pc.mode&editConf != 0
	matched := false
	for {
		line, ok := e.next()
		if !ok {
			break
		}
		if isSpace(line[0]) { // continuation of the current entry
			e.keep(line, matched)
			continue
		}
		matched = false
		words := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(mastercf.Blanks, r) })
		if len(words) < 2 {
			log.Fatalf("file %s: line %d: specify service name and type on the same line", path, rd.lineno)
		}
		name, typ := words[0], words[1]
		if strings.Contains(name, "=") {
			log.Fatalf("file %s: line %d: service name syntax \"%s\" is unsupported with %s", path, rd.lineno, name, masterEditOpts)
		}
		if strings.ContainsAny(typ, "=/") {
			log.Fatalf("file %s: line %d: service type syntax \"%s\" is unsupported with %s", path, rd.lineno, typ, masterEditOpts)
		}
		var replacement *mastercf.Entry
		for _, req := range reqs {
			var tentative *mastercf.Entry
			use := false
			if wholeEntry {
				tentative = pc.newEntry(req)
			}
			switch {
			case req.pattern.matches(name, typ):
				matched = true
				req.matches++
				removeParam := pc.mode&masterParam != 0 && pc.mode&editExcl != 0
				if pc.mode&editConf == 0 && !removeParam {
					break // -MX, -M#: the line is dropped or commented out
				}
				switch pc.mode & masterModes {
				case masterField, masterParam:
					if replacement == nil {
						full, err := rd.gather(line, e.dst)
						if err != nil {
							log.Fatalf("read %s: %s", path, dict.ErrnoText(err))
						}
						if replacement, err = pc.parseEntry(full); err != nil {
							log.Fatalf("file %s: line %d: %s", path, rd.lineno, err)
						}
					}
					if pc.mode&masterField != 0 {
						if err := replacement.EditField(req.field, req.value, log); err != nil {
							log.Fatalf("%s", err)
						}
					} else {
						replacement.EditParam(req.param, req.value, pc.mode&editExcl != 0)
					}
				case masterEntry:
					use = req.matches == 1
				}
			case tentative != nil && servicePattern(tentative.Argv[:2]).matches(name, typ):
				matched = true
				req.matches++
				use = req.matches == 1
			}
			if use {
				replacement = tentative
			}
		}
		if replacement != nil {
			e.dst.WriteString(replacement.Format(true, nil))
		} else {
			e.keep(line, matched)
		}
	}
	for _, req := range reqs {
		if req.matches > 0 {
			continue
		}
		if wholeEntry {
			e.dst.WriteString(pc.newEntry(req).Format(true, nil))
		} else if pc.mode&masterEntry == 0 {
			log.Warnf("unmatched service_name/type: \"%s\"", req.raw)
		}
	}
	e.finish()
}
