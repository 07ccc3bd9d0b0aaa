package main

import (
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/mac"
)

// lookupValue returns the value postconf uses for name: with -d the
// default; otherwise the service's own settings (local may be nil), then
// main.cf, then (unless -n) the default. ok is false when there is none.
func (pc *postconf) lookupValue(m mode, name string, local *masterEnt, n *node) (string, bool) {
	if m&showDefs == 0 {
		if local != nil {
			if v, ok := local.ro[name]; ok {
				return v, true
			}
			if v, ok := local.all.get(name); ok {
				return v, true
			}
		}
		if v, ok := pc.conf.get(name); ok {
			return v, true
		}
		if m&showNonDef != 0 {
			return "", false
		}
	}
	if n == nil {
		n = pc.find(name)
	}
	if n == nil {
		return "", false
	}
	return n.def(), true
}

// expand expands $name in value recursively, in the name space of local
// (nil for main.cf). A syntax error or a loop is fatal, as in postconf;
// the warnings that explain it have been logged.
func (pc *postconf) expand(value string, m mode, local *masterEnt) string {
	m &^= showNonDef // expansion may use defaults even with -n
	out, err := mac.Expand(value, func(name string) (string, bool) {
		return pc.lookupValue(m, name, local, nil)
	}, mac.Options{Recurse: true, Relops: params.Relops(), Warn: pc.warn})
	if err != nil {
		pc.log.Fatalf("%s", mac.ProcessingError)
	}
	return out
}

func (pc *postconf) warn(text string) { pc.log.Warnf("%s", text) }

// resolver gives params.ComputedDefault what postconf's own versions of
// the host defaults look at: main.cf settings expanded within main.cf
// (mail_conf_lookup_eval), and full postconf expansion.
type resolver struct{ pc *postconf }

func (r resolver) Setting(name string) (string, bool, error) {
	if r.pc.mode&showDefs != 0 {
		return "", false, nil
	}
	v, ok := r.pc.conf.get(name)
	if !ok {
		return "", false, nil
	}
	out, err := mac.Expand(v, r.pc.conf.get, mac.Options{Recurse: true, Relops: params.Relops(), Warn: r.pc.warn})
	if err != nil {
		r.pc.log.Fatalf("dictionary %s: %s", "mail_dict", mac.ProcessingError)
	}
	return out, true, nil
}

func (r resolver) Expand(text string) (string, error) {
	return r.pc.expand(text, r.pc.mode, nil), nil
}
