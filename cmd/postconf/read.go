package main

import (
	"errors"
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/mastercf"
	"gopostfix/libglobal/util/dict"
)

// readParameters loads main.cf; it must exist.
func (pc *postconf) readParameters() {
	path := pc.configDir() + "/main.cf"
	if err := pc.conf.load(path, pc.log); err != nil {
		pc.log.Fatalf("open %s: %s", path, dict.ErrnoText(err))
	}
}

// setOverrides applies -o name=value.
func (pc *postconf) setOverrides() {
	for _, o := range pc.opts.overrides {
		name, value, err := mailconf.SplitNameValue(o)
		if err != nil {
			pc.log.Fatalf("invalid parameter override: %s: %s", o, err)
		}
		pc.conf.set(name, value)
	}
}

// readMaster loads master.cf. When it cannot be opened that is fatal for
// the master.cf views and a warning otherwise.
func (pc *postconf) readMaster(mustExist bool) {
	path := pc.configDir() + "/master.cf"
	ents, err := mastercf.Read(path, pc.log)
	var pe *os.PathError
	switch {
	case errors.As(err, &pe) && pe.Op == "open":
		if mustExist {
			pc.log.Fatalf("open %s: %s", path, dict.ErrnoText(err))
		}
		pc.log.Warnf("open %s: %s", path, dict.ErrnoText(err))
	case err != nil:
		pc.log.Fatalf("%s", err)
	}
	for _, e := range ents {
		pc.master = append(pc.master, newMasterEnt(e))
	}
}
