package dict

import (
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// errBadUTF8 is Postfix's text for a string that is not valid UTF-8.
const errBadUTF8 = "malformed UTF-8 or invalid codepoint"

// CaseFold folds s for lookups as Postfix's casefold() does: ASCII-only
// text (or any text when utf8 is false) gets ASCII lowercasing; other text
// gets full Unicode case folding (ICU's default folding, which x/text's
// cases.Fold implements). ok is false when s is not valid UTF-8.
func CaseFold(s string, utf8mode bool) (folded string, ok bool) {
	if !utf8mode || allASCII(s) {
		return ASCIILower(s), true
	}
	if !utf8.ValidString(s) {
		return "", false
	}
	return cases.Fold().String(s), true
}

func allASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// utf8Dict is the UTF-8 layer (dict_utf8.c) that Registry.Open puts in
// front of a table opened with FlagUTF8Request when UTF-8 is enabled:
// keys are checked and case-folded here, lookups with malformed keys miss
// with a warning, updates with malformed keys or values are skipped with a
// warning, and a malformed stored value is a configuration error.
type utf8Dict struct {
	Dict
}

// ActivateUTF8 wraps d in the UTF-8 layer and marks it FlagUTF8Active.
// It is a no-op for a table that already has the layer.
func ActivateUTF8(d Dict) Dict {
	if d.Flags()&FlagUTF8Active != 0 {
		return d
	}
	d.SetFlags(d.Flags() | FlagUTF8Active)
	return &utf8Dict{Dict: d}
}

// checkFold validates and, when the table folds keys, folds key.
func (u *utf8Dict) checkFold(key string) (string, bool) {
	if foldWanted(u.Flags()) {
		return CaseFold(key, true)
	}
	return key, allASCII(key) || utf8.ValidString(key)
}

func (u *utf8Dict) badKey(key string) {
	u.Common().Log().Warnf("%s:%s: non-UTF-8 key \"%s\": %s", u.Type(), u.Name(), key, errBadUTF8)
}

func (u *utf8Dict) Lookup(key string) (string, bool, error) {
	fk, ok := u.checkFold(key)
	if !ok {
		u.badKey(key)
		return "", false, nil
	}
	v, found, err := u.Dict.Lookup(fk)
	if found && !utf8.ValidString(v) {
		return "", false, Configf("%s:%s: key \"%s\": non-UTF-8 value \"%s\": %s",
			u.Type(), u.Name(), key, v, errBadUTF8)
	}
	return v, found, err
}

func (u *utf8Dict) Update(key, value string) error {
	fk, ok := u.checkFold(key)
	if !ok {
		u.badKey(key)
		return nil
	}
	if !utf8.ValidString(value) {
		u.Common().Log().Warnf("%s:%s: key \"%s\": non-UTF-8 value \"%s\": %s",
			u.Type(), u.Name(), key, value, errBadUTF8)
		return nil
	}
	return u.Dict.Update(fk, value)
}

func (u *utf8Dict) Delete(key string) (bool, error) {
	fk, ok := u.checkFold(key)
	if !ok {
		u.badKey(key)
		return false, nil
	}
	return u.Dict.Delete(fk)
}

// Unwrap returns the table behind the UTF-8 layer.
func (u *utf8Dict) Unwrap() Dict { return u.Dict }

// Prefetch implements Prefetcher for a table behind the layer that has
// it, with the keys folded as Lookup folds them (malformed ones left out).
func (u *utf8Dict) Prefetch(keys []string) {
	p, ok := u.Dict.(Prefetcher)
	if !ok {
		return
	}
	folded := make([]string, 0, len(keys))
	for _, k := range keys {
		if fk, ok := u.checkFold(k); ok {
			folded = append(folded, fk)
		}
	}
	p.Prefetch(folded)
}
