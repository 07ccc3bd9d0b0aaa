package attr

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
)

// Reader decodes records in one Format.
type Reader struct {
	br     *bufio.Reader
	format Format
	name   string // the stream's name in messages (VSTREAM_PATH)

	// UTF8 keeps UTF-8 sequences when the Printable flag sanitizes
	// strings (util_utf8_enable, on when smtputf8_enable is yes).
	UTF8 bool
}

// NewReader returns a Reader decoding from rd. name identifies the peer in
// error texts: "private/rewrite" on a client, "rewrite socket" on a server.
func NewReader(rd io.Reader, f Format, name string) *Reader {
	return &Reader{br: bufio.NewReader(rd), format: f, name: name, UTF8: true}
}

// Format returns the encoding of r.
func (r *Reader) Format() Format { return r.format }

// Name returns the stream name used in error texts.
func (r *Reader) Name() string { return r.name }

// Buffered returns the number of bytes read from the stream but not yet
// consumed.
func (r *Reader) Buffered() int { return r.br.Buffered() }

func (r *Reader) ioError(err error, context string) error {
	if isTimeout(err) {
		return &Error{Class: ErrTimeout, Err: err,
			Text: fmt.Sprintf("timeout on %s while reading %s", r.name, context)}
	}
	return &Error{Class: ErrIO, Err: err,
		Text: fmt.Sprintf("premature end-of-input on %s while reading %s", r.name, context)}
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (r *Reader) malformed(format string, args ...any) error {
	return &Error{Class: ErrMalformed, Text: fmt.Sprintf(format, args...)}
}

func clip(s string) string {
	if len(s) > 100 {
		return s[:100]
	}
	return s
}

// token reads one name or value. It returns the text and the byte that
// ended it: NUL in Format0, ':' or '\n' in Format64, '=' (names only) or
// '\n' in FormatPlain.
func (r *Reader) token(isName bool) (string, byte, error) {
	context := "input attribute value"
	if isName {
		context = "input attribute name"
	}
	switch r.format {
	case Format64:
		raw, term, err := r.readUntil(':', '\n')
		if err != nil {
			return "", 0, r.ioError(err, context)
		}
		plain, ok := decode64(raw)
		if !ok {
			return "", 0, r.malformed("malformed base64 data from %s: %.100s", r.name, clip(raw))
		}
		return string(plain), term, nil
	case FormatPlain:
		stop := byte('\n')
		if isName {
			stop = '='
		}
		s, term, err := r.readUntil(stop, '\n')
		if err != nil {
			return "", 0, r.ioError(err, context)
		}
		return s, term, nil
	default:
		s, _, err := r.readUntil(0, 0)
		if err != nil {
			if s != "" {
				return "", 0, &Error{Class: ErrIO, Err: err,
					Text: fmt.Sprintf("unexpected end-of-input from %s while reading %s", r.name, context)}
			}
			return "", 0, r.ioError(err, context)
		}
		return s, 0, nil
	}
}

// readUntil reads bytes up to and including the first a or b, and returns
// them without that byte. A partial token is returned with the error.
func (r *Reader) readUntil(a, b byte) (string, byte, error) {
	var buf []byte
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return string(buf), 0, err
		}
		if c == a || c == b {
			return string(buf), c, nil
		}
		buf = append(buf, c)
	}
}

// skipValue discards the value of an unwanted attribute whose name ended
// with term. Errors are left for the next read to find, as in Postfix.
func (r *Reader) skipValue(term byte) {
	if r.format == Format0 {
		r.readUntil(0, 0)
		return
	}
	if term != '\n' {
		r.readUntil('\n', '\n')
	}
}

// hasValue tells whether a name ended with term is followed by a value.
func (r *Reader) hasValue(term byte) bool {
	switch r.format {
	case Format64:
		return term == ':'
	case FormatPlain:
		return term == '='
	}
	return true
}

// endOfRecord tells whether the name just read is the record terminator.
func (r *Reader) endOfRecord(name string, term byte) bool {
	if r.format == Format0 {
		return name == ""
	}
	return name == "" && term == '\n'
}

// isBrace tells whether the name is the hash delimiter b ("{" or "}"). The
// plain sender follows the brace with a NUL byte, which C string
// comparison does not see.
func (r *Reader) isBrace(name string, term byte, b string) bool {
	if r.format == Format0 {
		return name == b
	}
	if term != '\n' {
		return false
	}
	if i := indexNUL(name); i >= 0 {
		name = name[:i]
	}
	return name == b
}

func indexNUL(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return i
		}
	}
	return -1
}
