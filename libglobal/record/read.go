package record

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// ReadFlags select the records a Reader handles by itself (rec_get_raw's
// REC_FLAG_*).
type ReadFlags int

const (
	FollowPtr   ReadFlags = 1 << iota // jump to the target of pointer records
	SkipPadding                       // skip padding records
	SeekEnd                           // after the end record, go to end of file
	// Default is rec_get's behaviour: hide pointers and padding, and
	// ignore whatever follows the end record.
	Default = FollowPtr | SkipPadding | SeekEnd
)

// reverseJumpLimit bounds backward pointer jumps per file (queue file loops).
const reverseJumpLimit = 10000

// A FormatError is damaged input. Its text is the warning Postfix logs,
// starting with the stream's path.
type FormatError struct{ Text string }

func (e *FormatError) Error() string { return e.Text }

func formatErr(format string, args ...any) error {
	return &FormatError{Text: fmt.Sprintf(format, args...)}
}

// Record is one record. Data is only valid until the next call of Next.
type Record struct {
	Type byte
	Data []byte
	// Offset is where the record itself starts.
	Offset int64
	// From is where the read started: before any pointer or padding
	// records the Reader skipped to reach this one. It is the offset
	// Postfix programs see with vstream_ftell before rec_get.
	From int64
}

// Reader reads records from a stream, seekable or not (stdin).
type Reader struct {
	src    io.Reader
	seeker io.Seeker // nil when the stream cannot seek
	br     *bufio.Reader
	pos    int64
	path   string
	flags  ReadFlags
	maxLen int
	buf    []byte

	lastJump int64 // rec_goto loop protection
	reverse  int
}

// NewReader returns a Reader for src, named path in diagnostics. It reads
// with the given flags and rejects records longer than maxLen (0: no
// limit). If src is an io.Seeker whose current offset can be queried, it
// is used for pointer records and SeekTo; start offsets are taken from it.
func NewReader(src io.Reader, path string, flags ReadFlags, maxLen int) *Reader {
	r := &Reader{br: bufio.NewReader(src)}
	r.Reset(src, path, flags, maxLen)
	return r
}

// Reset makes r read from src as NewReader(src, path, flags, maxLen)
// would, keeping its buffers, for a program that reads one file after
// another (qmgr). Records read before are no longer valid.
func (r *Reader) Reset(src io.Reader, path string, flags ReadFlags, maxLen int) {
	br, buf := r.br, r.buf[:0]
	br.Reset(src)
	*r = Reader{src: src, br: br, path: path, flags: flags, maxLen: maxLen, buf: buf}
	if s, ok := src.(io.Seeker); ok {
		if off, err := s.Seek(0, io.SeekCurrent); err == nil {
			r.seeker = s
			r.pos = off
		}
	}
}

// Path returns the name used in diagnostics (VSTREAM_PATH).
func (r *Reader) Path() string { return r.path }

// SetFlags changes the transparency flags for the next reads.
func (r *Reader) SetFlags(f ReadFlags) { r.flags = f }

// Offset returns the position of the next byte to be read (vstream_ftell).
func (r *Reader) Offset() int64 { return r.pos }

// Tell is vstream_ftell: the offset, or -1 for a stream that cannot
// seek (a pipe), as Postfix programs print it.
func (r *Reader) Tell() int64 {
	if r.seeker == nil {
		return -1
	}
	return r.pos
}

// Seekable reports whether SeekTo can work.
func (r *Reader) Seekable() bool { return r.seeker != nil }

// errNotSeekable is what lseek(2) says about a pipe.
var errNotSeekable = errors.New("Illegal seek")

// SeekTo moves to an absolute offset.
func (r *Reader) SeekTo(off int64) error {
	if r.seeker == nil {
		return errNotSeekable
	}
	if off < 0 {
		return errors.New("Invalid argument")
	}
	if _, err := r.seeker.Seek(off, io.SeekStart); err != nil {
		return err
	}
	r.br.Reset(r.src)
	r.pos = off
	return nil
}

// seekEnd moves to the end of the stream.
func (r *Reader) seekEnd() error {
	if r.seeker == nil {
		return errNotSeekable
	}
	off, err := r.seeker.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	r.br.Reset(r.src)
	r.pos = off
	return nil
}

// ReadByte reads one raw byte (VSTREAM_GETC).
func (r *Reader) ReadByte() (byte, error) {
	b, err := r.br.ReadByte()
	if err == nil {
		r.pos++
	}
	return b, err
}

// UnreadByte pushes back the byte just read (vstream_ungetc).
func (r *Reader) UnreadByte() error {
	err := r.br.UnreadByte()
	if err == nil {
		r.pos--
	}
	return err
}

// Next returns the next record, io.EOF at a clean end of input, or a
// *FormatError for damaged input (the reader's position is then
// undefined).
func (r *Reader) Next() (Record, error) {
	from := r.pos
	for {
		start := r.pos
		t, err := r.ReadByte()
		if err != nil {
			if err == io.EOF {
				return Record{}, io.EOF
			}
			return Record{}, err
		}
		n, err := r.readLength(t)
		if err != nil {
			return Record{}, err
		}
		if err := r.readData(t, n); err != nil {
			return Record{}, err
		}
		rec := Record{Type: t, Data: r.buf, Offset: start, From: from}
		switch {
		case t == Ptr && r.flags&FollowPtr != 0:
			if err := r.Goto(r.buf); err != nil {
				return Record{}, err
			}
			continue
		case t == Padding && r.flags&SkipPadding != 0:
			continue
		case t == End && r.flags&SeekEnd != 0:
			if err := r.seekEnd(); err != nil {
				return Record{}, formatErr("%s: seek error after reading END record: %v", r.path, err)
			}
		}
		return rec, nil
	}
}

// readLength decodes the length bytes. Like Postfix it accumulates into a
// 32-bit int and gives up before a sixth length byte; a length that comes
// out negative is rejected.
func (r *Reader) readLength(t byte) (int64, error) {
	var n int64
	for shift := uint(0); ; shift += 7 {
		if shift >= 32 {
			return 0, formatErr("%s: too many length bits, record type %d", r.path, t)
		}
		b, err := r.ReadByte()
		if err != nil {
			if err != io.EOF {
				return 0, err
			}
			return 0, formatErr("%s: unexpected EOF reading length, record type %d", r.path, t)
		}
		n |= int64(int32(uint32(b&0x7f) << shift))
		if b&0x80 == 0 {
			break
		}
	}
	if n < 0 || (r.maxLen > 0 && n > int64(r.maxLen)) {
		err := formatErr("%s: illegal length %d, record type %d", r.path, n, t)
		for ; n > 0; n-- {
			if _, err := r.ReadByte(); err != nil {
				break
			}
		}
		return 0, err
	}
	return n, nil
}

// readData reads n data bytes, growing the buffer as the data arrives so
// that a bogus length cannot make it allocate much more than the input.
func (r *Reader) readData(t byte, n int64) error {
	r.buf = r.buf[:0]
	const chunk = 64 << 10
	for got := int64(0); got < n; {
		want := min(n-got, chunk)
		r.buf = append(r.buf, make([]byte, want)...)
		k, err := io.ReadFull(r.br, r.buf[got:got+want])
		got += int64(k)
		r.pos += int64(k)
		if err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				return err
			}
			return formatErr("%s: unexpected EOF in data, record type %d length %d", r.path, t, n)
		}
	}
	return nil
}

// Goto follows a pointer record whose data is data (rec_goto): leading
// white space is skipped, the rest must be a decimal offset; 0 means no
// jump.
func (r *Reader) Goto(data []byte) error {
	s := CString(data)
	i := 0
	for i < len(s) && IsSpace(s[i]) {
		i++
	}
	off, ok := parseOffset(s[i:])
	switch {
	case !ok:
		return formatErr("%s: malformed pointer record value: %s", r.path, s[i:])
	case off == 0:
		return nil
	case off <= r.lastJump:
		r.reverse++
		if r.reverse > reverseJumpLimit {
			return formatErr("%s: too many reverse jump records", r.path)
		}
	}
	if err := r.SeekTo(off); err != nil {
		return formatErr("%s: seek error after pointer record: %v", r.path, err)
	}
	r.lastJump = off
	return nil
}

// parseOffset is off_cvt_string: decimal digits only, no overflow.
func parseOffset(s string) (int64, bool) {
	var v int64
	const maxOff = 1<<63 - 1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if v > maxOff/10 || v*10 > maxOff-d {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}
