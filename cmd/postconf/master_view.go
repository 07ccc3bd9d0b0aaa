package main

import (
	"sort"

	"gopostfix/libglobal/mastercf"
)

// expander returns the -x expansion for option values of e, or nil.
func (pc *postconf) expander(e *masterEnt) mastercf.Expander {
	if pc.mode&showEval == 0 {
		return nil
	}
	return func(v string) string { return pc.expand(v, pc.mode, e) }
}

// selection is a list of command-line selectors for -M, -F or -P with
// their hit counts, for the "unmatched request" warnings.
type selection struct {
	raw      []string
	patterns []servicePattern
	hits     []int
}

func (pc *postconf) parseSelection(args []string, max int, complaint string) *selection {
	s := &selection{raw: args, hits: make([]int, len(args))}
	for _, a := range args {
		p := parseServicePattern(a, 1, max)
		if p == nil {
			pc.log.Fatalf("%s", complaint)
		}
		s.patterns = append(s.patterns, p)
	}
	return s
}

func (pc *postconf) reportUnmatched(s *selection) {
	for i, n := range s.hits {
		if n == 0 {
			pc.log.Warnf("unmatched request: \"%s\"", s.raw[i])
		}
	}
}

// showMasterEntries is postconf -M.
func (pc *postconf) showMasterEntries(args []string) {
	sel := pc.parseSelection(args, 2, "-M option requires service_name[/type]")
	fold := pc.mode&foldLine != 0
	for _, e := range pc.master {
		if len(args) == 0 {
			pc.out.WriteString(e.Format(fold, pc.expander(e)))
			continue
		}
		for i, p := range sel.patterns {
			if p.matches(e.Service(), e.Type()) {
				sel.hits[i]++
				pc.out.WriteString(e.Format(fold, pc.expander(e)))
			}
		}
	}
	pc.reportUnmatched(sel)
}

func (pc *postconf) printFields(e *masterEnt, field int) {
	ff := mastercf.FieldFormat{
		Fold:      pc.mode&foldLine != 0,
		HideName:  pc.mode&hideName != 0,
		HideValue: pc.mode&hideValue != 0,
		Expand:    pc.expander(e),
	}
	for f := 0; f < mastercf.MinFields; f++ {
		if field < 0 || field == f {
			pc.out.WriteString(e.FormatField(f, ff))
		}
	}
}

// showMasterFields is postconf -F.
func (pc *postconf) showMasterFields(args []string) {
	sel := pc.parseSelection(args, 3, "-F option requires service_name[/type[/field]]")
	fields := make([]int, len(args))
	for i, p := range sel.patterns {
		fields[i] = pc.parseFieldPattern(p[2])
	}
	for _, e := range pc.master {
		if len(args) == 0 {
			pc.printFields(e, -1)
			continue
		}
		for i, p := range sel.patterns {
			if p.matches(e.Service(), e.Type()) {
				sel.hits[i]++
				pc.printFields(e, fields[i])
			}
		}
	}
	pc.reportUnmatched(sel)
}

func (pc *postconf) printMasterParam(e *masterEnt, name, value string) {
	fold := pc.mode&foldLine != 0
	switch {
	case pc.mode&hideValue != 0:
		printLine(pc.out, fold, e.NameSpace()+"/"+name)
	default:
		if pc.mode&showEval != 0 {
			value = pc.expand(value, pc.mode, e)
		}
		if pc.mode&hideName != 0 {
			printLine(pc.out, fold, value)
		} else {
			printLine(pc.out, fold, e.NameSpace()+"/"+name+" = "+value)
		}
	}
}

func (pc *postconf) printAllMasterParams(e *masterEnt) {
	names := e.all.names()
	sort.Strings(names)
	for _, n := range names {
		v, _ := e.all.get(n)
		pc.printMasterParam(e, n, v)
	}
}

// showMasterParams is postconf -P.
func (pc *postconf) showMasterParams(args []string) {
	sel := pc.parseSelection(args, 3, "-P option requires service_name[/type[/parameter]]")
	for _, e := range pc.master {
		if e.all == nil {
			continue
		}
		if len(args) == 0 {
			pc.printAllMasterParams(e)
			continue
		}
		for i, p := range sel.patterns {
			if !p.matches(e.Service(), e.Type()) {
				continue
			}
			if p[2] == "*" {
				pc.printAllMasterParams(e)
				sel.hits[i]++
			} else if v, ok := e.all.get(p[2]); ok {
				pc.printMasterParam(e, p[2], v)
				sel.hits[i]++
			}
		}
	}
	pc.reportUnmatched(sel)
}
