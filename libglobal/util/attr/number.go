package attr

// parseUnsigned reads s the way sscanf("%lu%c") does on glibc, and
// succeeds only when the number is the whole string: optional leading
// white space, an optional sign, at least one decimal digit. Overflow
// saturates at the maximum, as strtoul does; a minus sign negates in
// unsigned arithmetic, so "-1" is the maximum value.
func parseUnsigned(s string) (uint64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (^uint64(0)-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}
	if i == start || i != len(s) {
		return 0, false
	}
	if overflow {
		return ^uint64(0), true
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseUint32 is sscanf("%u%c"): glibc converts with strtoul and keeps the
// low 32 bits.
func parseUint32(s string) (uint32, bool) {
	v, ok := parseUnsigned(s)
	return uint32(v), ok
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// printable replaces bytes that are neither printable ASCII nor part of a
// UTF-8 sequence (when utf8 is set) with '?', as printable(3).
func printable(s string, utf8 bool) string {
	b := []byte(s)
	changed := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 0x20 && c < 0x7f:
		case utf8 && c >= 194 && c <= 254 && i+1 < len(b) && b[i+1] >= 128 && b[i+1] < 192:
			for i+1 < len(b) && b[i+1] >= 128 && b[i+1] < 192 {
				i++
			}
		default:
			b[i] = '?'
			changed = true
		}
	}
	if !changed {
		return s
	}
	return string(b)
}
