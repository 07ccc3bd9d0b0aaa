package attr

// Format selects one of the three wire encodings.
type Format int

const (
	Format0     Format = iota // name\0value\0, record ends with \0
	Format64                  // base64(name):base64(value)\n, record ends with \n
	FormatPlain               // name=value\n, record ends with an empty line
)

// String names the format as Postfix's source does.
func (f Format) String() string {
	switch f {
	case Format64:
		return "attr_print64"
	case FormatPlain:
		return "attr_print_plain"
	}
	return "attr_print0"
}

// Flags control Scan (and Print's terminator), as ATTR_FLAG_*.
type Flags int

const (
	// Missing reports a record that ends before every target was filled.
	Missing Flags = 1 << 0
	// Extra reports (and stops at) an attribute the caller did not ask for.
	Extra Flags = 1 << 1
	// More stops after the last target instead of reading through the
	// record terminator (used inside RecvFunc callbacks).
	More Flags = 1 << 2
	// Printable replaces non-printable bytes in received strings with '?'.
	Printable Flags = 1 << 3
	// Strict is Missing|Extra, what most replies are read with.
	Strict = Missing | Extra
	// None asks for nothing special.
	None Flags = 0
)

// Pair is one entry of a hash (name/value table).
type Pair struct {
	Name, Value string
}

// hashLimit is ATTR_HASH_LIMIT: the most entries a received hash may hold.
const hashLimit = 1024

type kind int

const (
	kindInt kind = iota + 1
	kindStr
	kindHash
	kindLong
	kindData
	kindFunc
	kindExpect
)

// Attr is one attribute to send.
type Attr struct {
	kind kind
	name string
	str  string
	num  uint64
	data []byte
	hash []Pair
	fn   func(w *Writer) error
}

// Int sends a C int: the low 32 bits as unsigned decimal, so -1 is
// 4294967295.
func Int(name string, v int) Attr { return Attr{kind: kindInt, name: name, num: uint64(uint32(v))} }

// Long sends a C long (64 bits on LP64) as unsigned decimal.
func Long(name string, v int64) Attr { return Attr{kind: kindLong, name: name, num: uint64(v)} }

// Str sends a string. In Format0 it must not contain NUL, in FormatPlain
// not a newline.
func Str(name, v string) Attr { return Attr{kind: kindStr, name: name, str: v} }

// Data sends bytes, base64 encoded on the wire.
func Data(name string, v []byte) Attr { return Attr{kind: kindData, name: name, data: v} }

// Hash sends a name/value table, in the given order, between "{" and "}".
func Hash(pairs []Pair) Attr { return Attr{kind: kindHash, hash: pairs} }

// Func lets fn write more attributes (with w.PrintMore) inside the record.
func Func(fn func(w *Writer) error) Attr { return Attr{kind: kindFunc, fn: fn} }

// Recv is one receive target of Scan.
type Recv struct {
	kind   kind
	name   string
	want   string
	intp   *int
	longp  *int64
	strp   *string
	datap  *[]byte
	hashm  map[string]string
	scanFn func(r *Reader, flags Flags) (int, error)
}

// RecvInt receives a C int; values sent as 32-bit unsigned come back
// negative when their top bit is set (4294967295 is -1).
func RecvInt(name string, p *int) Recv { return Recv{kind: kindInt, name: name, intp: p} }

// RecvLong receives a C long; 18446744073709551615 comes back as -1.
func RecvLong(name string, p *int64) Recv { return Recv{kind: kindLong, name: name, longp: p} }

// RecvStr receives a string.
func RecvStr(name string, p *string) Recv { return Recv{kind: kindStr, name: name, strp: p} }

// RecvData receives base64-encoded bytes.
func RecvData(name string, p *[]byte) Recv { return Recv{kind: kindData, name: name, datap: p} }

// RecvHash receives every remaining attribute (or one "{ ... }" group) into
// m. The first value of a repeated name wins; at most 1024 names are kept.
// Each entry counts as one conversion.
func RecvHash(m map[string]string) Recv { return Recv{kind: kindHash, hashm: m} }

// RecvFunc lets fn scan a sub-list with r.Scan(flags, ...); flags include
// More. fn returns its own count, which is ignored, or an error.
func RecvFunc(fn func(r *Reader, flags Flags) (int, error)) Recv {
	return Recv{kind: kindFunc, scanFn: fn}
}

// Expect requires the attribute name with exactly this value (STREQ), as
// clients check a server's protocol announcement. It is not counted.
func Expect(name, value string) Recv { return Recv{kind: kindExpect, name: name, want: value} }
