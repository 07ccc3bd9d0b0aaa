package dict

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"gopostfix/libglobal/util/msg"
)

// OpenRequest is what a type's open function receives.
type OpenRequest struct {
	Registry *Registry
	Type     string
	Name     string
	// Mode holds os.O_RDONLY, os.O_RDWR, os.O_CREATE and os.O_TRUNC bits, as
	// Postfix's open_flags.
	Mode  int
	Flags Flags
}

// Log returns the registry's logger (nil discards).
func (q OpenRequest) Log() *msg.Logger {
	if q.Registry == nil {
		return nil
	}
	return q.Registry.Log
}

// Param returns the main.cf parameter name from the registry's
// configuration, or def when it is not set there.
func (q OpenRequest) Param(name, def string) string {
	if q.Registry == nil {
		return def
	}
	return q.Registry.Param(name, def)
}

// Label returns "type:name".
func (q OpenRequest) Label() string { return q.Type + ":" + q.Name }

// OpenFunc opens a table for lookups, or for updates and deletes when
// Mode says O_RDWR (dict_open's per-type function).
type OpenFunc func(req OpenRequest) (Dict, error)

// MakeFunc opens a table for postmap/postalias-style writing: Mode has
// O_TRUNC to rebuild it from scratch, or not to add to it (postmap -i).
// The Dict holds whatever lock keeps readers from seeing a half-written
// table until Close, which commits (mkmap_open's per-type function).
type MakeFunc func(req OpenRequest) (Dict, error)

// Registry knows the available table types and opens tables by
// "type:name". Programs create one in main, register types into it and
// pass it down; there is no global registry.
type Registry struct {
	// Log receives warnings from tables (duplicates, bad lines, ...).
	Log *msg.Logger
	// Params looks up main.cf parameters that table types read
	// (lmdb_map_size, ...); nil means "use built-in defaults".
	Params func(name string) (value string, ok bool)
	// UTF8 enables the UTF-8 layer for tables opened with
	// FlagUTF8Request (Postfix's util_utf8_enable, from smtputf8_enable).
	UTF8 bool
	// AllowSurrogate makes Open return a stand-in table that fails every
	// operation (logging why) instead of an error, for daemons that
	// should keep running with reduced function (dict_allow_surrogate).
	// Failures that Postfix reports with msg_fatal whatever
	// dict_allow_surrogate says (a malformed "type:name", a table the
	// proxymap service refuses, a read error on a cidr or texthash
	// file, an exclusive lock that cannot be had, ...) still come back
	// as errors of kind KindFatal, which the daemon must turn into its
	// fatal exit (libmaster does for errors of PreInit and PostInit;
	// elsewhere ExitIfFatal).
	AllowSurrogate bool

	mu     sync.Mutex
	open   map[string]OpenFunc
	make   map[string]MakeFunc
	hints  map[string]string
	shared map[string]*sharedDict
	// defaults are the types registered with RegisterDefault.
	defaults map[string]bool
}

// NewRegistry returns an empty Registry that logs to log.
func NewRegistry(log *msg.Logger) *Registry {
	return &Registry{
		Log:   log,
		open:  map[string]OpenFunc{},
		make:  map[string]MakeFunc{},
		hints: map[string]string{},
	}
}

// Register adds a table type. Registering a type twice is a programming
// error and panics, unless the first registration was a default
// (RegisterDefault), which Register replaces.
func (r *Registry) Register(typ string, open OpenFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.open[typ]; dup && !r.defaults[typ] {
		panic("dict: type registered twice: " + typ)
	}
	delete(r.defaults, typ)
	r.open[typ] = open
}

// RegisterDefault adds a table type that a program may replace with its
// own by a later Register (for example a daemon that must open
// proxy:type:name tables directly). It does nothing when typ is
// registered already.
func (r *Registry) RegisterDefault(typ string, open OpenFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.open[typ]; dup {
		return
	}
	if r.defaults == nil {
		r.defaults = map[string]bool{}
	}
	r.defaults[typ] = true
	r.open[typ] = open
}

// RegisterMaker adds the bulk-create path of a type, used by postmap and
// postalias to build and update tables.
func (r *Registry) RegisterMaker(typ string, make MakeFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.make[typ]; dup {
		panic("dict: maker registered twice: " + typ)
	}
	r.make[typ] = make
}

// RegisterMissing names a type that this build knows about but does not
// provide, with the hint Debian's Postfix adds to the "unsupported
// dictionary type" error (for example "Is the postfix-mysql package
// installed?").
func (r *Registry) RegisterMissing(typ, hint string) {
	r.mu.Lock()
	r.hints[typ] = hint
	r.mu.Unlock()
}

// Types returns the registered type names, sorted (dict_mapnames, what
// postconf -m prints).
func (r *Registry) Types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.open))
	for t := range r.open {
		names = append(names, t)
	}
	sort.Strings(names)
	return names
}

// Has reports whether typ is registered.
func (r *Registry) Has(typ string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.open[typ] != nil
}

// Param returns a main.cf parameter value, or def.
func (r *Registry) Param(name, def string) string {
	if r.Params != nil {
		if v, ok := r.Params(name); ok {
			return v
		}
	}
	return def
}

// SplitSpec splits "type:name" at the first colon. The error is
// Postfix's text, of kind KindFatal: dict_open dies on a malformed name.
func SplitSpec(spec string) (typ, name string, err error) {
	typ, name, ok := strings.Cut(spec, ":")
	if !ok {
		return "", "", Fatalf("open dictionary: expecting \"type:name\" form instead of \"%s\"", spec)
	}
	if typ == "" || name == "" {
		return "", "", badForm(typ, name)
	}
	return typ, name, nil
}

// badForm is dict_open's complaint about an empty type or name.
func badForm(typ, name string) error {
	return Fatalf("open dictionary: expecting \"type:name\" form instead of \"%s:%s\"", typ, name)
}

// Open opens the table spec ("type:name") with mode (os.O_* bits) and
// flags.
func (r *Registry) Open(spec string, mode int, flags Flags) (Dict, error) {
	typ, name, err := SplitSpec(spec)
	if err != nil {
		return nil, err
	}
	return r.Open3(typ, name, mode, flags)
}

// unsupportedType returns the error for a type nobody registered.
func (r *Registry) unsupportedType(typ string) error {
	r.mu.Lock()
	hint := r.hints[typ]
	r.mu.Unlock()
	if hint != "" {
		return Configf("unsupported dictionary type: %s. %s", typ, hint)
	}
	return Configf("unsupported dictionary type: %s", typ)
}

// Open3 is Open with the type and name already split (dict_open3). When
// flags has FlagUTF8Request and r.UTF8 is set, the table comes back
// behind the UTF-8 layer. With r.AllowSurrogate, every failure but a
// KindFatal one gives a stand-in table instead of an error.
func (r *Registry) Open3(typ, name string, mode int, flags Flags) (Dict, error) {
	if typ == "" || name == "" {
		return nil, badForm(typ, name)
	}
	r.mu.Lock()
	open := r.open[typ]
	r.mu.Unlock()
	req := OpenRequest{Registry: r, Type: typ, Name: name, Mode: mode, Flags: flags}
	if open == nil {
		return r.surrogate(req, r.unsupportedType(typ))
	}
	d, err := open(req)
	if err != nil {
		return r.surrogate(req, err)
	}
	r.Log.Debugf("dict_open: %s:%s", typ, name)
	if d.Flags()&FlagOpenLock != 0 {
		if d.Flags()&FlagMultiWriter != 0 {
			d.SetFlags(d.Flags()&^FlagOpenLock | FlagLock)
		} else if err := d.Lock(LockExclusive | LockNoWait); err != nil {
			d.Close()
			return nil, &Error{Kind: KindFatal, Err: err,
				Msg: fmt.Sprintf("%s:%s: unable to get exclusive lock: %s", typ, name, ErrnoText(err))}
		}
	}
	return r.utf8(d, flags), nil
}

// surrogate returns the stand-in for a table whose open failed with
// err, or err itself when the registry allows no stand-ins or err is
// one that Postfix makes fatal (dict_surrogate is never reached for
// those: the type's open function has already called msg_fatal).
func (r *Registry) surrogate(req OpenRequest, err error) (Dict, error) {
	if !r.AllowSurrogate || KindOf(err) == KindFatal {
		return nil, err
	}
	return NewSurrogate(req, err.Error()), nil
}

func (r *Registry) utf8(d Dict, flags Flags) Dict {
	if r.UTF8 && flags&FlagUTF8Request != 0 {
		return ActivateUTF8(d)
	}
	return d
}

// OpenMaker opens a table for building or bulk updating (mkmap_open). Types
// without a bulk-create path fail as on Debian's build, whose dynamic map
// loader words it "unsupported dictionary type: TYPE does not support
// bulk-mode creation." (or asks whether the postfix-TYPE package is
// installed for a type nobody registered). The returned table has
// FlagDupWarn set in addition to flags.
func (r *Registry) OpenMaker(typ, name string, mode int, flags Flags) (Dict, error) {
	r.mu.Lock()
	make, known := r.make[typ], r.open[typ] != nil
	r.mu.Unlock()
	if make == nil {
		if known {
			return nil, Configf("unsupported dictionary type: %s does not support bulk-mode creation.", typ)
		}
		return nil, Configf("unsupported dictionary type: %s. Is the postfix-%s package installed?", typ, typ)
	}
	d, err := make(OpenRequest{Registry: r, Type: typ, Name: name, Mode: mode, Flags: flags})
	if err != nil {
		return nil, err
	}
	d.SetFlags(d.Flags() | FlagDupWarn)
	return r.utf8(d, flags), nil
}

// ReadOnly reports whether mode opens a table for reading only.
func ReadOnly(mode int) bool { return mode&(os.O_WRONLY|os.O_RDWR) == 0 }
