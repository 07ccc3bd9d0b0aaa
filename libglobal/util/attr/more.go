package attr

import (
	"io"
)

// ScanMore looks at the next byte of the stream (attr_scan_more): when it
// is a record terminator it is consumed and more is false; any other byte
// is left in place for the next Scan and more is true. The end of the
// stream is an error (io.ErrUnexpectedEOF), as Postfix returns -1 there.
// Streams that send variable-length lists inside one record (showq) are
// read this way.
func (r *Reader) ScanMore() (more bool, err error) {
	c, err := r.br.ReadByte()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return false, r.ioError(err, "input attribute name")
	}
	term := byte(0)
	if r.format != Format0 {
		term = '\n'
	}
	if c == term {
		return false, nil
	}
	return true, r.br.UnreadByte()
}

// ScanMore is Reader.ScanMore on the connection's stream.
func (c *Conn) ScanMore() (bool, error) { return c.R.ScanMore() }
