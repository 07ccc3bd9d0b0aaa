package attr

import (
	"fmt"
	"io"
)

// scan modes while walking the caller's targets.
const (
	modeNext  = iota // take the next target
	modeHash         // a RecvHash target before (or without) "{"
	modeClose        // inside a "{ ... }" group
)

// Scan reads one record into the targets, in order, with attr_scan's
// rules; see the package documentation. It returns the number of targets
// filled (each hash entry counts once, Expect does not count).
func (r *Reader) Scan(flags Flags, targets ...Recv) (int, error) {
	if _, err := r.br.Peek(1); err != nil {
		if err == io.EOF {
			return 0, io.EOF
		}
		return 0, r.ioError(err, "input attribute name")
	}
	conversions := 0
	next := 0
	mode := modeNext
	var cur Recv
	wanted := ""
	for ; ; conversions++ {
		end := false
		if mode == modeNext {
			if next == len(targets) {
				if flags&More != 0 {
					return conversions, nil
				}
				end = true
				cur = Recv{}
				wanted = "(list terminator)"
			} else {
				cur = targets[next]
				next++
				switch cur.kind {
				case kindHash:
					mode = modeHash
					wanted = "(any attribute name or list terminator)"
				case kindFunc:
				default:
					wanted = cur.name
				}
			}
		}

		// Find the next attribute of interest.
		var name string
		var term byte
		closed := false
		for cur.kind != kindFunc {
			var err error
			name, term, err = r.token(true)
			if err != nil {
				return -1, err
			}
			if r.endOfRecord(name, term) {
				if end || mode == modeHash {
					return conversions, nil
				}
				if flags&Missing != 0 {
					return conversions, &Error{Class: ErrMissing,
						Text: fmt.Sprintf("missing attribute %s in input from %s", wanted, r.name)}
				}
				return conversions, nil
			}
			if mode == modeHash && r.isBrace(name, term, "{") {
				mode = modeClose
				wanted = "(any attribute name or '}')"
				continue
			}
			if mode == modeClose && r.isBrace(name, term, "}") {
				mode = modeNext
				closed = true
				break
			}
			if mode != modeNext || (!end && name == cur.name) {
				break
			}
			if flags&Extra != 0 {
				return conversions, &Error{Class: ErrExtra,
					Text: fmt.Sprintf("unexpected attribute %s from %s (expecting: %s)", name, r.name, wanted)}
			}
			r.skipValue(term)
		}
		if closed {
			conversions--
			continue
		}
		if cur.kind == kindFunc {
			if _, err := cur.scanFn(r, flags|More); err != nil {
				return -1, err
			}
			continue
		}
		if cur.kind == kindExpect {
			conversions--
		}
		if err := r.convert(cur, mode, flags, name, term, conversions); err != nil {
			if e, ok := err.(*Error); ok && (e.Class == ErrDuplicate || e.Class == ErrLimit) {
				return conversions, err
			}
			return -1, err
		}
	}
}

// convert reads the value of attribute name into the target.
func (r *Reader) convert(cur Recv, mode int, flags Flags, name string, term byte, n int) error {
	if !r.hasValue(term) {
		what := "string"
		switch {
		case mode != modeNext:
		case cur.kind == kindInt || cur.kind == kindLong:
			what = "number"
		case cur.kind == kindData:
			what = "data"
		}
		return r.malformed("missing value for %s attribute %s from %s", what, name, r.name)
	}
	value, vterm, err := r.token(false)
	if err != nil {
		return err
	}
	if r.format == Format64 && vterm != '\n' {
		return r.malformed("multiple values for attribute %s from %s", name, r.name)
	}
	if mode != modeNext {
		return r.hashEntry(cur.hashm, flags, name, value)
	}
	switch cur.kind {
	case kindInt:
		v, ok := parseUint32(value)
		if !ok {
			return r.badNumber(value)
		}
		*cur.intp = int(int32(v))
	case kindLong:
		v, ok := parseUnsigned(value)
		if !ok {
			return r.badNumber(value)
		}
		*cur.longp = int64(v)
	case kindStr:
		if flags&Printable != 0 {
			value = printable(value, r.UTF8)
		}
		*cur.strp = value
	case kindData:
		if r.format == Format64 {
			*cur.datap = []byte(value)
			break
		}
		b, ok := decode64(value)
		if !ok {
			return r.malformed("malformed base64 data from %s while reading input attribute value: %.100s",
				r.name, clip(value))
		}
		*cur.datap = b
	case kindExpect:
		if value != cur.want {
			return &Error{Class: ErrMismatch,
				Text: fmt.Sprintf("unexpected %s %s from %s (expected: %s)", name, value, r.name, cur.want)}
		}
	}
	return nil
}

func (r *Reader) badNumber(value string) error {
	return r.malformed("malformed numerical data from %s while reading input attribute value: %.100s",
		r.name, clip(value))
}

func (r *Reader) hashEntry(m map[string]string, flags Flags, name, value string) error {
	if flags&Printable != 0 {
		name = printable(name, r.UTF8)
		value = printable(value, r.UTF8)
	}
	if _, dup := m[name]; dup {
		if flags&Extra != 0 {
			return &Error{Class: ErrDuplicate,
				Text: fmt.Sprintf("duplicate attribute %s in input from %s", name, r.name)}
		}
		return nil
	}
	if len(m) >= hashLimit {
		return &Error{Class: ErrLimit,
			Text: fmt.Sprintf("attribute count exceeds limit %d in input from %s", hashLimit, r.name)}
	}
	m[name] = value
	return nil
}
