package mkmap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopostfix/libglobal/mime"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Tool is one run of postmap or postalias.
type Tool struct {
	Log *msg.Logger
	Reg *dict.Registry
	// DefaultType is default_database_type, used for names without "type:".
	DefaultType string
	Stdin       io.Reader
	Stdout      *bufio.Writer
	// SeqFormat prints one -s or -q - line: "%s\t%s\n" for postmap,
	// "%s:\t%s\n" for postalias.
	SeqFormat string
	// PlainQueryErrors makes every query error print ": ERRNO", as
	// postalias does (postmap leaves it off for configuration errors).
	PlainQueryErrors bool
	// MIMELimits are the MIME parser's limits for -h, -b and -m
	// (header_size_limit, mime_nesting_limit, mime_boundary_length_limit).
	MIMELimits mime.Limits

	hook *logHook // the logger's first sink, when Setup made the tool
}

// Split returns the type and name of a command-line table argument.
func (t *Tool) Split(arg string) (typ, name string) {
	if typ, name, ok := strings.Cut(arg, ":"); ok {
		return typ, name
	}
	return t.DefaultType, arg
}

// open opens a table or dies with the error text.
func (t *Tool) open(typ, name string, mode int, flags dict.Flags) dict.Dict {
	d, err := t.Reg.Open3(typ, name, mode, flags)
	if err != nil {
		t.Log.Fatalf("%s", err)
	}
	return d
}

// queryError dies after a failed lookup the way Postfix does.
func (t *Tool) queryError(d dict.Dict, err error) {
	switch kind := dict.KindOf(err); {
	case kind == dict.KindFatal:
		t.Log.Fatalf("%s", err)
	case kind == dict.KindConfig && !t.PlainQueryErrors:
		t.Log.Fatalf("table %s:%s: query error", d.Type(), d.Name())
	default:
		t.Log.Fatalf("table %s:%s: query error: %s", d.Type(), d.Name(), dict.ErrnoOf(err))
	}
}

// emptyWarning is what Postfix says about an empty lookup result.
func (t *Tool) emptyWarning(typ, name, key string) {
	t.Log.Warnf("table %s:%s: key %s: empty string result is not allowed", typ, name, key)
	t.Log.Warnf("table %s:%s should return NO RESULT in case of NOT FOUND", typ, name)
}

func (t *Tool) lookup(d dict.Dict, key string, flags dict.Flags) (string, bool, error) {
	if flags&dict.FlagSrcRHSIsFile != 0 {
		return dict.FileLookup(d, key)
	}
	return d.Lookup(key)
}

// Query looks key up in each table in turn and prints the first value
// (postmap -q key). It returns whether something was found.
func (t *Tool) Query(args []string, key string, flags dict.Flags) bool {
	for _, arg := range args {
		typ, name := t.Split(arg)
		d := t.open(typ, name, os.O_RDONLY, flags)
		v, ok, err := t.lookup(d, key, flags)
		if ok {
			if v == "" {
				t.emptyWarning(typ, name, key)
			}
			fmt.Fprintf(t.Stdout, "%s\n", v)
		}
		if err != nil {
			t.Stdout.Flush()
			t.queryError(d, err)
		}
		t.Stdout.Flush()
		d.Close()
		if ok {
			return true
		}
	}
	return false
}

// readKeys calls fn for each line of stdin, without its newline;
// beforeRead (when not nil) runs before each read from stdin.
func (t *Tool) readKeys(beforeRead func(), fn func(key string)) {
	t.readKeyBursts(beforeRead, func(keys []string) {
		for _, k := range keys {
			fn(k)
		}
	})
}

// burstKeys is the most keys readKeyBursts hands over at once.
const burstKeys = 16

// readKeyBursts is readKeys handing over the keys in bursts: one line
// read, plus up to burstKeys-1 more that are already in the input buffer
// (keys in a burst never wait for input).
func (t *Tool) readKeyBursts(beforeRead func(), fn func(keys []string)) {
	in := newLineReader(t.Stdin, beforeRead)
	keys := make([]string, 0, burstKeys)
	for {
		key, ok := in.next()
		if !ok {
			return
		}
		keys = append(keys[:0], key)
		for len(keys) < burstKeys {
			k, ok := in.buffered()
			if !ok {
				break
			}
			keys = append(keys, k)
		}
		fn(keys)
	}
}

// lazyTables opens tables on first use, as postmap_queries does, and
// keeps them locked for bursts of lookups (see lockBatch).
type lazyTables struct {
	t      *Tool
	args   []string
	flags  dict.Flags
	tables []dict.Dict
	batch  lockBatch
}

func newLazyTables(t *Tool, args []string, flags dict.Flags) *lazyTables {
	return &lazyTables{t: t, args: args, flags: flags, tables: make([]dict.Dict, len(args)), batch: lockBatch{t: t}}
}

// get returns table i, opened and locked for the current burst.
func (l *lazyTables) get(i int) dict.Dict {
	if l.tables[i] == nil {
		typ, name := l.t.Split(l.args[i])
		l.tables[i] = l.t.open(typ, name, os.O_RDONLY, l.flags)
	}
	l.batch.hold(l.tables[i])
	return l.tables[i]
}

func (l *lazyTables) close() {
	l.batch.release()
	for _, d := range l.tables {
		if d != nil {
			d.Close()
		}
	}
}

// Probe looks one key up in the tables and prints "key<TAB>value" for
// the first hit (one line of postmap -q -).
func (l *lazyTables) probe(key string) bool {
	t := l.t
	for i := range l.args {
		d := l.get(i)
		v, ok, err := t.lookup(d, key, l.flags)
		if ok {
			if v == "" {
				t.emptyWarning(d.Type(), d.Name(), key)
			}
			t.printPair(key, v)
			return true
		}
		if err != nil {
			t.Stdout.Flush()
			t.queryError(d, err)
		}
	}
	return false
}

// printPair prints one "key<TAB>value" (postalias: "key:<TAB>value") line.
func (t *Tool) printPair(key, value string) {
	w := t.Stdout
	w.WriteString(key)
	if t.SeqFormat == "%s:\t%s\n" {
		w.WriteByte(':')
	}
	w.WriteByte('\t')
	w.WriteString(value)
	w.WriteByte('\n')
}

// Queries looks up every line of stdin (postmap -q -), holding the
// tables' locks across the lookups of keys read ahead (lockBatch). The
// first table gets each burst of keys read ahead as a prefetch hint
// (dict.Prefetcher) before their lookups.
func (t *Tool) Queries(args []string, flags dict.Flags) bool {
	l := newLazyTables(t, args, flags)
	found := false
	t.readKeyBursts(l.batch.release, func(keys []string) {
		if len(keys) > 1 {
			if p, ok := l.get(0).(dict.Prefetcher); ok {
				p.Prefetch(keys)
			}
		}
		for _, key := range keys {
			if l.probe(key) {
				found = true
			}
			l.batch.tick()
		}
	})
	t.Stdout.Flush()
	l.close()
	return found
}

// deleteMode is the open mode of -d: proxy: tables need O_CREAT too.
func deleteMode(typ string) int {
	if typ == "proxy" {
		return os.O_RDWR | os.O_CREATE
	}
	return os.O_RDWR
}

func (t *Tool) deleteOne(d dict.Dict, key string) bool {
	ok, err := d.Delete(key)
	if err != nil {
		if dict.KindOf(err) == dict.KindFatal || errors.Is(err, dict.ErrUnsupported) {
			t.Log.Fatalf("%s", err)
		}
		t.Log.Fatalf("table %s:%s: delete error: %s", d.Type(), d.Name(), dict.ErrnoOf(err))
	}
	return ok
}

// Delete removes key from each table (postmap -d key).
func (t *Tool) Delete(args []string, key string, flags dict.Flags) bool {
	found := false
	for _, arg := range args {
		typ, name := t.Split(arg)
		d := t.open(typ, name, deleteMode(typ), flags)
		if t.deleteOne(d, key) {
			found = true
		}
		if err := d.Close(); err != nil {
			t.Log.Fatalf("%s", err)
		}
	}
	return found
}

// Deletes removes every key read from stdin from every table (-d -).
func (t *Tool) Deletes(args []string, flags dict.Flags) bool {
	var tables []dict.Dict
	for _, arg := range args {
		typ, name := t.Split(arg)
		tables = append(tables, t.open(typ, name, deleteMode(typ), flags))
	}
	found := false
	t.readKeys(nil, func(key string) {
		for _, d := range tables {
			if t.deleteOne(d, key) {
				found = true
			}
		}
	})
	for _, d := range tables {
		if err := d.Close(); err != nil {
			t.Log.Fatalf("%s", err)
		}
	}
	return found
}

// Sequence lists a table (postmap -s).
func (t *Tool) Sequence(arg string, flags dict.Flags) {
	typ, name := t.Split(arg)
	if typ == "proxy" {
		t.Log.Fatalf("can't sequence maps via the proxy service")
	}
	d := t.open(typ, name, os.O_RDONLY, flags)
	for op := dict.SeqFirst; ; op = dict.SeqNext {
		k, v, ok, err := d.Sequence(op)
		if err != nil {
			t.Stdout.Flush()
			if errors.Is(err, dict.ErrUnsupported) || dict.KindOf(err) == dict.KindFatal {
				t.Log.Fatalf("%s", err)
			}
			t.Log.Fatalf("table %s:%s: sequence error: %s", d.Type(), d.Name(), dict.ErrnoOf(err))
		}
		if !ok {
			break
		}
		if k == "" {
			t.Log.Warnf("table %s:%s: empty lookup key value is not allowed", typ, name)
		} else if v == "" {
			t.emptyWarning(typ, name, k)
		}
		if flags&dict.FlagSrcRHSIsFile != 0 {
			dec, err := dict.FileFromBase64(v)
			if err != nil {
				t.Log.Warnf("table %s:%s: key %s: %s", d.Type(), d.Name(), k, err)
				continue
			}
			v = dec
		}
		fmt.Fprintf(t.Stdout, t.SeqFormat, k, v)
	}
	t.Stdout.Flush()
	d.Close()
}
