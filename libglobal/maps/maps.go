package maps

import (
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Maps is an ordered list of lookup tables searched as one (maps.c): the
// value of a parameter such as "canonical_maps = hash:a, regexp:b".
type Maps struct {
	// Title is the parameter name, used in warnings.
	Title  string
	tables []dict.Dict
	log    *msg.Logger
}

// Open opens every "type:name" of the comma/space separated specs (the
// value of parameter title) with flags (dict.FlagDefault for daemons'
// lookups). Tables come from the Registry's shared open-table cache.
// An empty specs gives an empty list, which never finds anything.
func Open(reg *dict.Registry, title, specs string, flags dict.Flags, log *msg.Logger) (*Maps, error) {
	m := &Maps{Title: title, log: log}
	for _, spec := range dict.TokensQ(specs, dict.CommaSpace, "{}") {
		d, err := reg.Shared(spec, os.O_RDONLY, flags)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", title, err)
		}
		m.tables = append(m.tables, d)
	}
	return m, nil
}

// Empty reports whether the list holds no table.
func (m *Maps) Empty() bool { return m == nil || len(m.tables) == 0 }

// Find looks key up in each table in turn and returns the first value
// found (maps_find). With partial set, only fixed-string tables are asked
// (the DICT_FLAG_FIXED filter used for partial-address keys). A table
// that cannot be searched ends the search with an error; so does a value
// that is the empty string, which Postfix treats as a configuration error.
func (m *Maps) Find(key string, partial bool) (value string, found bool, err error) {
	if m == nil || key == "" {
		return "", false, nil
	}
	for _, d := range m.tables {
		if partial && d.Flags()&dict.FlagFixed == 0 {
			continue
		}
		v, ok, err := d.Lookup(key)
		dict.ExitIfFatal(m.log, err) // msg_fatal inside the lookup (a damaged cdb: "error reading FILE: Protocol error")
		if err != nil {
			m.log.Warnf("%s:%s lookup error for \"%s\"", d.Type(), d.Name(), key)
			return "", false, err
		}
		if !ok {
			continue
		}
		if v == "" {
			m.log.Warnf("%s lookup of %s returns an empty string result", m.Title, key)
			m.log.Warnf("%s should return NO RESULT in case of NOT FOUND", m.Title)
			return "", false, dict.Configf("%s lookup of %s returns an empty string result", m.Title, key)
		}
		m.log.Debugf("maps_find: %s: %s:%s: %s = %s", m.Title, d.Type(), d.Name(), key, v)
		return v, true, nil
	}
	return "", false, nil
}

// String returns the table list as "type:name type:name".
func (m *Maps) String() string {
	var names []string
	for _, d := range m.tables {
		names = append(names, d.Type()+":"+d.Name())
	}
	return strings.Join(names, " ")
}
