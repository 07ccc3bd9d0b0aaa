package main

import (
	"sort"
)

func sortedNames(t map[string]*node) []string {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// showParameters prints the named parameters in argument order, or all
// valid parameters of the -C classes sorted by name.
func (pc *postconf) showParameters(names []string) {
	if len(names) == 0 {
		for _, name := range sortedNames(pc.table) {
			if n := pc.table[name]; pc.opts.class&n.flags != 0 {
				pc.printParameter(name, n)
			}
		}
		return
	}
	for _, name := range names {
		n := pc.find(name)
		if n == nil {
			pc.log.Warnf("%s: unknown parameter", name)
			continue
		}
		pc.printParameter(name, n)
	}
}

func (pc *postconf) printParameter(name string, n *node) {
	value, ok := pc.lookupValue(pc.mode, name, nil, n)
	if !ok {
		return
	}
	fold := pc.mode&foldLine != 0
	switch {
	case pc.mode&hideValue != 0:
		printLine(pc.out, fold, name)
	default:
		if pc.mode&showEval != 0 && n.flags&flagRaw == 0 {
			value = pc.expand(value, pc.mode, nil)
		}
		if pc.mode&hideName != 0 {
			printLine(pc.out, fold, value)
		} else {
			printLine(pc.out, fold, name+" = "+value)
		}
	}
}

// flagUnused warns about main.cf and master.cf settings that nothing
// knows or uses.
func (pc *postconf) flagUnusedMain() {
	for _, name := range pc.conf.names() {
		if pc.find(name) == nil {
			v, _ := pc.conf.get(name)
			pc.out.Flush()
			pc.log.Warnf("%s/main.cf: unused parameter: %s=%s", pc.configDir(), name, v)
		}
	}
}

func (pc *postconf) flagUnusedMaster() {
	for _, e := range pc.master {
		if e.all == nil {
			continue
		}
		for _, name := range e.all.names() {
			if pc.find(name) == nil && !e.valid[name] {
				v, _ := e.all.get(name)
				pc.out.Flush()
				pc.log.Warnf("%s/master.cf: unused parameter: %s=%s", pc.configDir(), name, v)
			}
		}
	}
}
