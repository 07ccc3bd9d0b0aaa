package params

import "fmt"

// Host name limits of RFC 1035, as valid_hostname(3) applies them.
const (
	maxHostnameLen = 255
	maxLabelLen    = 63
)

// CheckHostname tells what is wrong with a host name the way Postfix's
// valid_hostname(3) complains (its warning text without the
// "valid_hostname: " prefix), or "" when the name is valid: letters,
// digits, '_' and inner hyphens, dot-separated labels of at most 63
// bytes, not all numeric, at most 255 bytes.
func CheckHostname(name string) string {
	if name == "" {
		return "empty hostname"
	}
	shown := name
	if len(shown) > 100 {
		shown = shown[:100]
	}
	labelLen, nonNumeric := 0, false
	for i := 0; i < len(name); i++ {
		ch := name[i]
		next := byte(0)
		if i+1 < len(name) {
			next = name[i+1]
		}
		switch {
		case ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_':
			labelLen++
			if labelLen > maxLabelLen {
				return "hostname label too long: " + shown
			}
			if ch < '0' || ch > '9' {
				nonNumeric = true
			}
		case ch == '.':
			if labelLen == 0 || next == 0 {
				return "misplaced delimiter: " + shown
			}
			labelLen = 0
		case ch == '-':
			nonNumeric = true
			labelLen++
			if labelLen == 1 || next == 0 || next == '.' {
				return "misplaced hyphen: " + shown
			}
		default:
			return fmt.Sprintf("invalid character %d(decimal): %s", ch, shown)
		}
	}
	if !nonNumeric {
		return "numeric hostname: " + shown
	}
	if len(name) > maxHostnameLen {
		return fmt.Sprintf("bad length %d for %s...", len(name), shown)
	}
	return ""
}
