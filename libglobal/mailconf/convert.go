package mailconf

import "math"

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// strtol is C's strtol(s, &end, 10) on a 64-bit long: leading white space
// and a sign are accepted; end is 0 when no digits were found; overflow
// clamps the value and is reported.
func strtol(s string) (n int64, end int, overflow bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var u uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if u > (math.MaxUint64-d)/10 {
			overflow = true
			continue
		}
		u = u*10 + d
	}
	if i == start {
		return 0, 0, false
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if overflow || u > limit {
		if neg {
			return math.MinInt64, i, true
		}
		return math.MaxInt64, i, true
	}
	if neg {
		return -int64(u), i, false
	}
	return int64(u), i, false
}

// Seconds in each time unit.
const (
	minute = 60
	hour   = 60 * minute
	day    = 24 * hour
	week   = 7 * day
)

// ConvTime converts a Postfix time value ("30", "30s", "5m", "2h", "1d",
// "1w") to seconds as conv_time(3) does: the number must fit an int and
// not be negative; the letter after it (anything after that letter is
// ignored) or else defUnit is the unit.
func ConvTime(s string, defUnit byte) (int64, bool) {
	n, end, overflow := strtol(s)
	if s == "" || overflow || n < 0 || n > math.MaxInt32 {
		return 0, false
	}
	unit := defUnit
	if end < len(s) {
		unit = s[end]
	}
	mult := map[byte]int64{'w': week, 'd': day, 'h': hour, 'm': minute, 's': 1}[unit]
	if mult == 0 {
		return 0, false
	}
	if mult > 1 && n >= math.MaxInt32/mult {
		return 0, false
	}
	return n * mult, true
}
