package dict

import (
	"sync/atomic"
	"time"

	"gopostfix/libglobal/util/msg"
)

// SeqOp selects the record a Sequence call returns.
type SeqOp int

const (
	SeqFirst SeqOp = 0 // rewind and return the first record
	SeqNext  SeqOp = 1 // return the record after the previous one
)

// Dict is one open lookup table. Implementations embed Base, which
// provides the accessors and "not supported" defaults for the operations.
type Dict interface {
	// Common returns the shared state every table carries.
	Common() *Base
	Type() string
	Name() string
	Flags() Flags
	SetFlags(Flags)

	// Lookup returns the value stored under key. ok is false when there
	// is no such key; err is non-nil only when the table could not be
	// searched (then ok is false too).
	Lookup(key string) (value string, ok bool, err error)
	// Update stores key=value, handling an existing key as the Dup*
	// flags say.
	Update(key, value string) error
	// Delete removes key; ok is false when the key did not exist.
	Delete(key string) (ok bool, err error)
	// Sequence walks the table: SeqFirst, then SeqNext until ok is false.
	Sequence(op SeqOp) (key, value string, ok bool, err error)
	// Lock takes or releases the table's file lock (LockShared,
	// LockExclusive, LockNone, optionally | LockNoWait).
	Lock(op LockOp) error
	// Close releases the table; for a table opened by a Maker it also
	// commits what was written.
	Close() error
}

// OwnerStatus is the provenance of a table (DICT_OWNER_*).
type OwnerStatus int

const (
	OwnerTrusted   OwnerStatus = 0  // root-owned file, or built into a program
	OwnerUntrusted OwnerStatus = 1  // file owned by another user (see UID)
	OwnerUnknown   OwnerStatus = -1 // network tables, proxy, mixed owners
)

// Owner says who controls a table's content.
type Owner struct {
	Status OwnerStatus
	UID    uint32 // meaningful when Status is OwnerUntrusted
}

// Aggregate combines the provenance of tables queried together: the
// result is the least trusted, and two different untrusted owners make it
// unknown (DICT_OWNER_AGGREGATE_UPDATE).
func (o Owner) Aggregate(src Owner) Owner {
	switch {
	case o.Status == OwnerTrusted || src.Status == OwnerUnknown:
		return src
	case o.Status == src.Status && o.UID != src.UID:
		return Owner{Status: OwnerUnknown, UID: ^uint32(0)}
	}
	return o
}

// Base is the state shared by every table type: identification, flags,
// lock and change-detection files, provenance and the logger for
// warnings. Embed it and call Init from the type's open function.
type Base struct {
	typ, name string
	flags     atomic.Uint32
	owner     Owner
	log       *msg.Logger

	// LockFD is the file descriptor that Lock operates on, or -1.
	LockFD int
	// LockStyle is how LockFD is locked (StyleFlock, Postfix's internal
	// lock, unless set).
	LockStyle LockStyle
	// StatPath is the file whose modification time tells whether the
	// table changed since it was opened (empty: never changes).
	StatPath string
	// MTime is StatPath's modification time when the table was opened.
	MTime time.Time

	held  LockOp // the lock HoldLock took for a batch of accesses
	epoch uint64 // how many batches HoldLock began

	keyBuf []byte // LookupNUL's key bytes, reused from lookup to lookup
}

// Init sets the type, name and flags and takes the logger from req. impl
// are the flags the type itself contributes (FlagFixed, FlagPattern,
// FlagMultiWriter).
func (b *Base) Init(req OpenRequest, impl Flags) {
	b.InitName(req.Type, req.Name, req.Flags|impl, req.Log())
}

// InitName is Init for types that are not opened through a Registry or
// that name themselves differently from the request.
func (b *Base) InitName(typ, name string, flags Flags, log *msg.Logger) {
	b.typ, b.name, b.log = typ, name, log
	b.flags.Store(uint32(flags))
	b.LockFD = -1
}

// Common implements Dict.
func (b *Base) Common() *Base { return b }

// Type returns the table type, as in "hash".
func (b *Base) Type() string { return b.typ }

// Name returns the table name, as in "/etc/postfix/access".
func (b *Base) Name() string { return b.name }

// SetType changes the type shown in messages (dict_type_override).
func (b *Base) SetType(t string) { b.typ = t }

// Flags returns the current flags.
func (b *Base) Flags() Flags { return Flags(b.flags.Load()) }

// SetFlags replaces the flags.
func (b *Base) SetFlags(f Flags) { b.flags.Store(uint32(f)) }

// AddFlags sets the given flags.
func (b *Base) AddFlags(f Flags) { b.SetFlags(b.Flags() | f) }

// ClearFlags clears the given flags.
func (b *Base) ClearFlags(f Flags) { b.SetFlags(b.Flags() &^ f) }

// Owner returns the table's provenance.
func (b *Base) Owner() Owner { return b.owner }

// SetOwner records the table's provenance.
func (b *Base) SetOwner(o Owner) { b.owner = o }

// Log returns the logger for warnings (never nil-unsafe: a nil Logger
// discards).
func (b *Base) Log() *msg.Logger { return b.log }

// Label returns "type:name", the way tables are named in messages.
func (b *Base) Label() string { return b.typ + ":" + b.name }

func (b *Base) unsupported(op string) error {
	return &UnsupportedError{Op: op, Type: b.typ, Name: b.name}
}

// Lookup is the default for types without lookups.
func (b *Base) Lookup(string) (string, bool, error) { return "", false, b.unsupported("lookup") }

// Update is the default for read-only types.
func (b *Base) Update(string, string) error { return b.unsupported("update") }

// Delete is the default for read-only types.
func (b *Base) Delete(string) (bool, error) { return false, b.unsupported("delete") }

// Sequence is the default for types that cannot be listed.
func (b *Base) Sequence(SeqOp) (string, string, bool, error) {
	return "", "", false, b.unsupported("sequence")
}

// Close is the default for types without resources.
func (b *Base) Close() error { return nil }
