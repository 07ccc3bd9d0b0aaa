package main

import (
	"strings"

	"gopostfix/libglobal/mastercf"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/mac"
)

// masterEnt is a master.cf entry with the parameter name spaces postconf
// gives it: its -o settings (nil when it has none), the read-only
// process_name and service_name, and the user-defined names found valid
// in it.
type masterEnt struct {
	*mastercf.Entry
	all   *confDict
	ro    map[string]string
	valid map[string]bool
}

func newMasterEnt(e *mastercf.Entry) *masterEnt {
	proc := e.Argv[mastercf.FieldCommand]
	if i := strings.LastIndexByte(proc, '/'); i >= 0 {
		proc = proc[i+1:]
	}
	serv := proc
	if e.Service() != proc {
		serv = e.Service()
	}
	return &masterEnt{Entry: e, ro: map[string]string{"process_name": proc, "service_name": serv}}
}

// scanRefs visits every name that value refers to, in both branches of
// every conditional, as postconf's scan does. Syntax errors are only
// warned about here.
func (pc *postconf) scanRefs(value string, visit func(name string)) {
	mac.Evaluate(value, func(name string) (string, bool) {
		visit(name)
		return "", false
	}, mac.Options{Scan: true, Relops: params.Relops(), Warn: pc.warn})
}

// flagUser marks a name found in a $reference (or in
// smtpd_restriction_classes) as a valid user-defined parameter wherever
// it has a name=value setting, and complains when it has none and is not
// a known parameter.
func (pc *postconf) flagUser(name string, class int, local *masterEnt) {
	source := "main.cf"
	if local != nil {
		source = "master.cf"
	}
	supplied := false
	if _, ok := local.allGet(name); ok {
		supplied = true
		local.valid[name] = true
	} else if _, ok := pc.conf.get(name); ok {
		supplied = true
		if pc.find(name) == nil {
			pc.table[name] = &node{flags: class, def: constant("")}
		}
	}
	if local == nil {
		for _, e := range pc.master {
			if _, ok := e.all.get(name); ok {
				supplied = true
				e.valid[name] = true
			}
		}
	}
	if !supplied && class&flagDBMS == 0 && pc.find(name) == nil {
		pc.log.Warnf("%s/%s: undefined parameter: %s", pc.configDir(), source, name)
	}
}

func (e *masterEnt) allGet(name string) (string, bool) {
	if e == nil {
		return "", false
	}
	return e.all.get(name)
}

// registerUserParams finds the user-defined parameters: names that are
// set in main.cf or master.cf and referred to somewhere
// (postconf_user.c).
func (pc *postconf) registerUserParams() {
	pc.restClasses = map[string]bool{}
	for _, e := range pc.master {
		for _, p := range e.Params() {
			if e.all == nil {
				e.all = newConfDict()
				e.valid = map[string]bool{}
			}
			e.all.set(p.Name, p.Value)
		}
	}
	for _, e := range pc.master {
		if e.all != nil {
			pc.scanNameSpace(e.all, e)
		}
	}
	// Defaults may refer to old parameter names for compatibility; those
	// must count as used.
	for _, name := range sortedNames(pc.table) {
		n := pc.table[name]
		if n.flags&flagRaw != 0 {
			continue
		}
		if _, ok := pc.conf.get(name); ok {
			continue
		}
		pc.scanRefs(n.def(), func(ref string) { pc.flagUser(ref, flagUser, nil) })
	}
	pc.scanNameSpace(pc.conf, nil)
}

// scanNameSpace examines every setting of one name space (main.cf when
// local is nil).
func (pc *postconf) scanNameSpace(d *confDict, local *masterEnt) {
	source := "main.cf"
	if local != nil {
		source = "master.cf"
	}
	if v, ok := d.get("smtpd_restriction_classes"); ok {
		classes := pc.evalWithin(d, v)
		for _, name := range strings.FieldsFunc(classes, isCommaSpace) {
			if local == nil {
				pc.restClasses[name] = true
			}
			pc.flagUser(name, flagUser, local)
		}
	}
	for _, name := range d.names() {
		value, _ := d.get(name)
		if local != nil && !local.valid[name] && pc.restClasses[name] {
			local.valid[name] = true
		}
		n := pc.find(name)
		if n != nil {
			if n.flags&flagReadOnly != 0 {
				pc.log.Warnf("%s/%s: read-only parameter assignment: %s=%s", pc.configDir(), source, name, value)
				d.del(name)
				continue
			}
			if n.flags&flagLegacy != 0 {
				n.flags = n.flags&^classMask | flagUser
			}
			if n.flags&flagRaw != 0 {
				continue
			}
		}
		pc.scanRefs(value, func(ref string) { pc.flagUser(ref, flagUser, local) })
		if n != nil && n.flags&(flagBuiltin|flagService) != 0 {
			pc.registerDBMSParams(pc.expand(value, showEval, local), local)
		}
	}
}

// evalWithin expands value using only the settings of d, as Postfix's
// dict_eval(3) does for smtpd_restriction_classes.
func (pc *postconf) evalWithin(d *confDict, value string) string {
	out, err := mac.Expand(value, d.get, mac.Options{Recurse: true, Relops: params.Relops(), Warn: pc.warn})
	if err != nil {
		pc.log.Fatalf("%s", mac.ProcessingError)
	}
	return out
}

func isCommaSpace(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }
