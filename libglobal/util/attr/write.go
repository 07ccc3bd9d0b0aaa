package attr

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// Writer encodes records in one Format. It buffers; Print flushes.
type Writer struct {
	bw     *bufio.Writer
	format Format
}

// NewWriter returns a Writer that encodes to w.
func NewWriter(w io.Writer, f Format) *Writer {
	return &Writer{bw: bufio.NewWriter(w), format: f}
}

// Format returns the encoding of w.
func (w *Writer) Format() Format { return w.format }

// Print writes the attributes and the record terminator, then flushes.
func (w *Writer) Print(attrs ...Attr) error {
	if err := w.PrintMore(attrs...); err != nil {
		return err
	}
	w.end()
	return w.Flush()
}

// PrintMore writes the attributes without a terminator and without
// flushing (ATTR_FLAG_MORE): more attributes of the same record follow.
func (w *Writer) PrintMore(attrs ...Attr) error {
	for _, a := range attrs {
		switch a.kind {
		case kindInt, kindLong:
			w.pair(a.name, strconv.FormatUint(a.num, 10))
		case kindStr:
			w.pair(a.name, a.str)
		case kindData:
			w.data(a.name, a.data)
		case kindHash:
			w.open()
			for _, p := range a.hash {
				w.pair(p.Name, p.Value)
			}
			w.close()
		case kindFunc:
			if err := a.fn(w); err != nil {
				return err
			}
		default:
			return fmt.Errorf("attr: cannot send attribute type %d", a.kind)
		}
	}
	return nil
}

// Flush sends buffered output.
func (w *Writer) Flush() error { return w.bw.Flush() }

func (w *Writer) pair(name, value string) {
	switch w.format {
	case Format64:
		w.bw.WriteString(encode64([]byte(name)))
		w.bw.WriteByte(':')
		w.bw.WriteString(encode64([]byte(value)))
		w.bw.WriteByte('\n')
	case FormatPlain:
		w.bw.WriteString(name)
		w.bw.WriteByte('=')
		w.bw.WriteString(value)
		w.bw.WriteByte('\n')
	default:
		w.bw.WriteString(name)
		w.bw.WriteByte(0)
		w.bw.WriteString(value)
		w.bw.WriteByte(0)
	}
}

// data sends raw bytes: base64 text in Format0 and FormatPlain, and in
// Format64 the single base64 encoding every value gets anyway.
func (w *Writer) data(name string, v []byte) {
	if w.format == Format64 {
		w.pair(name, string(v))
		return
	}
	w.pair(name, encode64(v))
}

// open and close frame a hash. The plain form writes the brace followed by
// a NUL byte and a newline, as Postfix's sender does (it writes
// sizeof("{") bytes); receivers ignore the NUL.
func (w *Writer) open()  { w.brace("{") }
func (w *Writer) close() { w.brace("}") }

func (w *Writer) brace(b string) {
	switch w.format {
	case Format64:
		w.bw.WriteString(encode64([]byte(b)))
		w.bw.WriteByte('\n')
	case FormatPlain:
		w.bw.WriteString(b)
		w.bw.WriteByte(0)
		w.bw.WriteByte('\n')
	default:
		w.bw.WriteString(b)
		w.bw.WriteByte(0)
	}
}

func (w *Writer) end() {
	if w.format == Format0 {
		w.bw.WriteByte(0)
	} else {
		w.bw.WriteByte('\n')
	}
}
