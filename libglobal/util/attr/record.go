package attr

import "io"

// ReadRecord reads one whole record as it is on the wire, without a
// schema: every name with its value, in order, repeated names included.
// Hash delimiters come back as pairs named "{" and "}" with empty values.
// It returns (nil, io.EOF) at a clean end of stream. Tools and tests use
// it; services use Scan.
func (r *Reader) ReadRecord() ([]Pair, error) {
	if _, err := r.br.Peek(1); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.ioError(err, "input attribute name")
	}
	var out []Pair
	for {
		name, term, err := r.token(true)
		if err != nil {
			return out, err
		}
		if r.endOfRecord(name, term) {
			return out, nil
		}
		if r.isBrace(name, term, "{") || r.isBrace(name, term, "}") {
			out = append(out, Pair{Name: name[:1]})
			continue
		}
		if !r.hasValue(term) {
			return out, r.malformed("missing value for string attribute %s from %s", name, r.name)
		}
		value, vterm, err := r.token(false)
		if err != nil {
			return out, err
		}
		if r.format == Format64 && vterm != '\n' {
			return out, r.malformed("multiple values for attribute %s from %s", name, r.name)
		}
		out = append(out, Pair{Name: name, Value: value})
	}
}
