package main

import (
	"os"
	"strings"
	"sync"

	"gopostfix/cmd/smtpd/internal/namadr"
	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// tables opens lookup tables and host lists once and keeps them for the
// life of the process, as Postfix's smtpd opens its maps in pre_init
// (here on first use, through the registry's shared cache).
type tables struct {
	reg         *dict.Registry
	parentMatch map[string]bool
	mu          sync.Mutex
	lists       map[string]*namadr.List
}

func newTables(log *msg.Logger, parentMatch []string, utf8 bool, queueDir, proxyService string) *tables {
	reg := maptypes.NewRegistry(log)
	reg.UTF8 = utf8
	reg.AllowSurrogate = true
	registerProxy(reg, queueDir, proxyService)
	t := &tables{reg: reg, parentMatch: map[string]bool{}, lists: map[string]*namadr.List{}}
	for _, n := range parentMatch {
		t.parentMatch[n] = true
	}
	return t
}

// open opens one "type:name" table for access-style lookups.
func (t *tables) open(spec string) (smtpd.Table, error) {
	return t.reg.Shared(spec, os.O_RDONLY, dict.FlagDefault)
}

// openList is open for the tables inside host lists.
func (t *tables) openList(spec string) (namadr.Table, error) {
	return t.reg.Shared(spec, os.O_RDONLY, dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request)
}

// hostList returns the parsed host list of a parameter.
func (t *tables) hostList(param string, patterns []string) (smtpd.HostList, error) {
	key := param + "\x00" + strings.Join(patterns, "\x00")
	t.mu.Lock()
	defer t.mu.Unlock()
	if l, ok := t.lists[key]; ok {
		return l, nil
	}
	l, err := namadr.New(param, patterns, t.parentMatch[param], t.openList)
	if err != nil {
		return nil, err
	}
	t.lists[key] = l
	return l, nil
}
