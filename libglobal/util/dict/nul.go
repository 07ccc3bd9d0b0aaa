package dict

import "strings"

// LookupNUL runs a fixed-key lookup with Postfix's trailing-NUL
// auto-detection (section 4.4 of the spec): with FlagTry1Null the key is
// tried with a terminating NUL byte, with FlagTry0Null without; the first
// form that finds something clears the other flag so later lookups try
// only that form. get receives the raw key bytes, in a buffer that it
// must not keep after it returns. The value is cut at its
// first NUL byte, as a C reader sees it.
func (b *Base) LookupNUL(key string, get func(k []byte) (v []byte, ok bool, err error)) (string, bool, error) {
	f := b.Flags()
	// get may not keep k: the same buffer serves the next lookup.
	if f&FlagTry1Null != 0 {
		b.keyBuf = append(append(b.keyBuf[:0], key...), 0)
		v, ok, err := get(b.keyBuf)
		if err != nil {
			return "", false, err
		}
		if ok {
			b.ClearFlags(FlagTry0Null)
			return cutNUL(v), true, nil
		}
	}
	if f&FlagTry0Null != 0 {
		b.keyBuf = append(b.keyBuf[:0], key...)
		v, ok, err := get(b.keyBuf)
		if err != nil {
			return "", false, err
		}
		if ok {
			b.ClearFlags(FlagTry1Null)
			return cutNUL(v), true, nil
		}
	}
	return "", false, nil
}

func cutNUL(v []byte) string {
	s := string(v)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

// CutNUL returns the C-string view of a stored value or key: everything
// before the first NUL byte.
func CutNUL(v []byte) string { return cutNUL(v) }

// UpdateNUL decides, for a write, whether keys and values carry a trailing
// NUL. When both Try flags are still set the type's platform default wins
// (withNUL true for Berkeley DB and LMDB, false for cdb) and the other
// flag is cleared, so the whole table is written one way.
func (b *Base) UpdateNUL(defaultWithNUL bool) (withNUL bool) {
	f := b.Flags()
	if f&FlagTry1Null != 0 && f&FlagTry0Null != 0 {
		if defaultWithNUL {
			f &^= FlagTry0Null
		} else {
			f &^= FlagTry1Null
		}
		b.SetFlags(f)
	}
	return f&FlagTry1Null != 0
}

// NULBytes returns s as bytes, with a terminating NUL when withNUL.
func NULBytes(s string, withNUL bool) []byte {
	if !withNUL {
		return []byte(s)
	}
	p := make([]byte, len(s)+1)
	copy(p, s)
	return p
}

// Duplicate decides what an update does with a key that already exists,
// from the Dup* flags: replace reports that the new value overwrites the
// old one. Otherwise the old value is kept, with a warning "LABEL:
// duplicate entry: "KEY"" under FlagDupWarn, silently under FlagDupIgnore,
// and with an error carrying that text when neither is set (Postfix makes
// it fatal).
func (b *Base) Duplicate(label, key string) (replace bool, err error) {
	f := b.Flags()
	switch {
	case f&FlagDupReplace != 0:
		return true, nil
	case f&FlagDupIgnore != 0:
		return false, nil
	case f&FlagDupWarn != 0:
		b.log.Warnf("%s: duplicate entry: \"%s\"", label, key)
		return false, nil
	}
	return false, Configf("%s: duplicate entry: \"%s\"", label, key)
}
