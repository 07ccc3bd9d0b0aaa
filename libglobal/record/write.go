package record

import (
	"fmt"
	"io"
	"strings"
)

// AppendLength appends the variable-length encoding of n: seven bits at a
// time, low bits first, bit 8 set when more follow; at least one byte.
func AppendLength(dst []byte, n int) []byte {
	for {
		b := byte(n & 0x7f)
		n >>= 7
		if n != 0 {
			b |= 0x80
		}
		dst = append(dst, b)
		if n == 0 {
			return dst
		}
	}
}

// Append appends one complete record to dst.
func Append(dst []byte, t byte, data []byte) []byte {
	dst = append(dst, t)
	dst = AppendLength(dst, len(data))
	return append(dst, data...)
}

// EncodedLen is the number of bytes a record with n data bytes takes.
func EncodedLen(n int) int {
	return len(AppendLength(make([]byte, 0, 5), n)) + 1 + n
}

// Writer writes records to an io.Writer and counts the bytes written, so
// that callers know the offset of the next record (vstream_ftell).
type Writer struct {
	w   io.Writer
	off int64
	err error
	buf []byte
}

// NewWriter returns a Writer whose first record is at offset start.
func NewWriter(w io.Writer, start int64) *Writer {
	return &Writer{w: w, off: start}
}

// Offset returns the offset of the next record.
func (w *Writer) Offset() int64 { return w.off }

// Err returns the first write error; later writes are not attempted.
func (w *Writer) Err() error { return w.err }

// Put writes one record (rec_put).
func (w *Writer) Put(t byte, data []byte) error {
	if w.err != nil {
		return w.err
	}
	w.buf = Append(w.buf[:0], t, data)
	return w.writeBuf()
}

// writeBuf writes the encoded record in w.buf.
func (w *Writer) writeBuf() error {
	n, err := w.w.Write(w.buf)
	w.off += int64(n)
	if err != nil {
		w.err = err
	}
	return w.err
}

// PutString writes one record whose data is s (rec_fputs), without the
// copy a []byte(s) conversion would make.
func (w *Writer) PutString(t byte, s string) error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(AppendLength(append(w.buf[:0], t), len(s)), s...)
	return w.writeBuf()
}

// Printf writes one record with formatted data (rec_fprintf).
func (w *Writer) Printf(t byte, format string, args ...any) error {
	return w.Put(t, fmt.Appendf(nil, format, args...))
}

// PutAttr writes an attribute record "name=value" (rec_fprintf of
// "%s=%s" with REC_TYPE_ATTR).
func (w *Writer) PutAttr(name, value string) error {
	return w.PutString(Attr, name+"="+value)
}

// Pad writes a record of type t that takes exactly n bytes in total when
// n >= 3 (rec_pad): its data is "0" right-aligned in n-2 characters.
func (w *Writer) Pad(t byte, n int) error {
	width := max(n-2, 1)
	return w.PutString(t, strings.Repeat(" ", width-1)+"0")
}

// PutPtr writes a pointer record to offset (0 = a placeholder).
func (w *Writer) PutPtr(offset int64) error {
	return w.PutString(Ptr, FormatFixed(offset))
}

// FormatFixed formats a value the way pointer and warning records hold
// it: right-aligned in 15 characters ("%15ld").
func FormatFixed(v int64) string {
	return fmt.Sprintf("%15d", v)
}

// PutType overwrites the type byte of the record at offset, the in-place
// update that marks a recipient done (R to D) or kills a record
// (rec_put_type).
func PutType(f io.WriterAt, offset int64, t byte) error {
	if _, err := f.WriteAt([]byte{t}, offset); err != nil {
		return fmt.Errorf("seek or write error: %w", err)
	}
	return nil
}
