package main

import (
	"io"
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// confDict is a name=value dictionary as postconf keeps them: main.cf
// (Postfix's CONFIG_DICT) and the -o settings of each master.cf entry.
// It remembers the order in which names first arrived.
type confDict struct {
	vals  map[string]string
	order []string
}

func newConfDict() *confDict { return &confDict{vals: map[string]string{}} }

func (d *confDict) get(name string) (string, bool) {
	if d == nil {
		return "", false
	}
	v, ok := d.vals[name]
	return v, ok
}

func (d *confDict) set(name, value string) {
	if _, ok := d.vals[name]; !ok {
		d.order = append(d.order, name)
	}
	d.vals[name] = value
}

func (d *confDict) del(name string) {
	delete(d.vals, name)
	d.order = removeString(d.order, name)
}

// names returns the names in arrival order (a copy).
func (d *confDict) names() []string { return append([]string(nil), d.order...) }

// load adds the settings of a main.cf-style file, as dict_load_file(3):
// a line that is not name=value is fatal, a setting that changes an
// earlier value of the same name is warned about.
func (d *confDict) load(path string, log *msg.Logger) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rd := readlline.New(f, path, log)
	for {
		l, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name, value, err := mailconf.SplitNameValue(l.Text)
		if err != nil {
			log.Fatalf("%s, line %d: %s: \"%s\"", path, l.First, err, l.Text)
		}
		if old, ok := d.get(name); ok && old != value {
			log.Warnf("%s, line %d: overriding earlier entry: %s=%s", path, l.First, name, old)
		}
		d.set(name, value)
	}
}
