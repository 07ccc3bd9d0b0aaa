package record

// CString returns data up to its first NUL byte: what Postfix's C code sees
// of a record it handles as a string.
func CString(data []byte) string {
	for i, c := range data {
		if c == 0 {
			return string(data[:i])
		}
	}
	return string(data)
}

// IsSpace is Postfix's ISSPACE: ASCII white space.
func IsSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// Atol converts the leading decimal number of s the way C atol does:
// leading white space, an optional sign, digits; 0 when there are none.
// Out-of-range values saturate (glibc's strtol).
func Atol(s string) int64 {
	i := 0
	for i < len(s) && IsSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	over := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (1<<63)/10 || v*10+d > 1<<63 {
			over = true
			continue
		}
		v = v*10 + d
	}
	switch {
	case neg && (over || v >= 1<<63):
		return -1 << 63
	case neg:
		return -int64(v)
	case over || v >= 1<<63:
		return 1<<63 - 1
	}
	return int64(v)
}

// ParseTime reads a time record "sec usec" (REC_TYPE_TIME_SCAN).
func ParseTime(data []byte) (sec, usec int64) {
	s := CString(data)
	sec = Atol(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return sec, Atol(s[i:])
}

// SplitNameVal splits an attribute record "name=value" (split_nameval):
// white space around the name, the '=' and the value is dropped. The
// error text is Postfix's.
func SplitNameVal(s string) (name, value, errText string) {
	i := 0
	for i < len(s) && IsSpace(s[i]) {
		i++
	}
	if i == len(s) || s[i] == '=' {
		return "", "", "missing attribute name"
	}
	j := i
	for j < len(s) && !IsSpace(s[j]) && s[j] != '=' {
		j++
	}
	k := j
	for k < len(s) && IsSpace(s[k]) {
		k++
	}
	if k == len(s) || s[k] != '=' {
		return "", "", "missing '=' after attribute name"
	}
	v := s[k+1:]
	for len(v) > 0 && IsSpace(v[0]) {
		v = v[1:]
	}
	for len(v) > 0 && IsSpace(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	return s[i:j], v, ""
}

// IsHeader reports whether a text line can start a message header
// (is_header): printable ASCII other than ':' and white space, optional
// blanks, then ':'.
func IsHeader(s []byte) bool { return HeaderNameLen(s) > 0 }

// HeaderNameLen is is_header_buf: the length of the header name that
// starts s, without the blanks that may stand before its colon (RFC 822's
// obsolete "name : value"), or 0 when s does not start a header.
func HeaderNameLen(s []byte) int {
	const (
		initial = iota
		inName
		inSpace
	)
	state, n := initial, 0
	for _, c := range s {
		switch c {
		case ' ', '\t':
			if state == initial {
				return 0
			}
			state = inSpace
		case ':':
			if state == initial {
				return 0
			}
			return n
		default:
			if c == 0 || c >= 0x80 || c < 0x20 || c == 0x7f || state == inSpace {
				return 0
			}
			state = inName
			n++
		}
	}
	return 0
}
