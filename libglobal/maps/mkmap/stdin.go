package mkmap

import (
	"bytes"
	"io"
)

// lineReader reads standard input one line at a time, like a
// bufio.Reader, and calls beforeRead before each read from the
// underlying reader: the stdin queries release their table locks there,
// since a read may block for as long as the input's writer likes.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int
	err        error
	beforeRead func()
}

func newLineReader(r io.Reader, beforeRead func()) *lineReader {
	return &lineReader{r: r, buf: make([]byte, 64*1024), beforeRead: beforeRead}
}

// next returns the next line without its newline; a last line without a
// newline counts. ok is false at the end of the input or after a read
// error, when no bytes are left.
func (lr *lineReader) next() (line string, ok bool) {
	for scanned := 0; ; {
		if i := bytes.IndexByte(lr.buf[lr.start+scanned:lr.end], '\n'); i >= 0 {
			line = string(lr.buf[lr.start : lr.start+scanned+i])
			lr.start += scanned + i + 1
			return line, true
		}
		scanned = lr.end - lr.start
		if lr.err != nil {
			if scanned == 0 {
				return "", false
			}
			line = string(lr.buf[lr.start:lr.end])
			lr.start = lr.end
			return line, true
		}
		lr.fill()
	}
}

// buffered returns the next line when all of it, newline included, is
// already in the buffer; it never reads.
func (lr *lineReader) buffered() (line string, ok bool) {
	i := bytes.IndexByte(lr.buf[lr.start:lr.end], '\n')
	if i < 0 {
		return "", false
	}
	line = string(lr.buf[lr.start : lr.start+i])
	lr.start += i + 1
	return line, true
}

// fill reads more input after the unread bytes, making room first.
func (lr *lineReader) fill() {
	if lr.start > 0 {
		lr.end = copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.start = 0
	}
	if lr.end == len(lr.buf) {
		lr.buf = append(lr.buf, make([]byte, len(lr.buf))...)
	}
	if lr.beforeRead != nil {
		lr.beforeRead()
	}
	for tries := 0; tries < 100; tries++ {
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if err != nil {
			lr.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	lr.err = io.ErrNoProgress
}
