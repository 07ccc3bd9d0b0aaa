package params

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/mac"
)

// Compatibility levels are compared as major.minor.patch numbers, packed
// the way Postfix's compat_level.c packs them (10 bits each for minor and
// patch), so that "3.6" < "3.10" and "2" == "2.0.0".
const (
	compatPatchBits = 10
	compatMinorBits = 10
	compatMinorMax  = 1<<compatMinorBits - 1
	compatPatchMax  = 1<<compatPatchBits - 1
	compatMajorMax  = 1<<(63-compatPatchBits-compatMinorBits) - 1
)

// ParseCompatLevel converts "major[.minor[.patch]]" to a comparable
// number. The error text is Postfix's.
func ParseCompatLevel(s string) (int64, error) {
	bad := fmt.Errorf("malformed compatibility level syntax: \"%s\"", s)
	parts := strings.SplitN(s, ".", 3)
	limits := []int64{compatMajorMax, compatMinorMax, compatPatchMax}
	var level int64
	for i, p := range parts {
		n, ok := parseDecimal(p)
		if !ok || n < 0 || n > limits[i] {
			return -1, bad
		}
		level = level<<compatPatchBits | n
	}
	// Missing minor and patch numbers are zero.
	for i := len(parts); i < 3; i++ {
		level <<= compatPatchBits
	}
	return level, nil
}

// parseDecimal accepts what strtol(3) with base 10 consumes in full:
// optional leading white space, an optional sign, at least one digit.
func parseDecimal(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	digits := strings.TrimLeft(t, "+-")
	if len(t)-len(digits) > 1 || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(t, 10, 64)
	return n, err == nil
}

// LevelRelop evaluates the "level" operator suffix (<level, ==level, ...)
// registered by Postfix's compat_level_relop_register.
func LevelRelop(left string, op mac.Op, right string) (bool, error) {
	l, err := ParseCompatLevel(left)
	if err != nil {
		return false, err
	}
	r, err := ParseCompatLevel(right)
	if err != nil {
		return false, err
	}
	return op.Compare(cmp.Compare(l, r)), nil
}

// Relops returns the operator suffixes every Postfix program registers,
// for mac.Options.Relops.
func Relops() map[string]mac.Relop {
	return map[string]mac.Relop{"level": LevelRelop}
}
