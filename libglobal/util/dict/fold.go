package dict

// FoldKey returns the key a fixed-key type must use: lowercased when
// FlagFoldFix is set (FlagFoldMul for pattern types), unless the UTF-8
// layer is active, which has already folded it with full Unicode case
// folding. Without UTF-8 only ASCII letters are folded, like Postfix's
// lowercase().
func (b *Base) FoldKey(key string) string {
	f := b.Flags()
	if f&FlagUTF8Active != 0 || !foldWanted(f) {
		return key
	}
	return ASCIILower(key)
}

// foldWanted reports whether a table with flags f folds its keys.
func foldWanted(f Flags) bool {
	if f&FlagFixed != 0 {
		return f&FlagFoldFix != 0
	}
	return f&FlagFoldMul != 0
}

// ASCIILower lowercases ASCII letters only, leaving other bytes as they
// are. It does not allocate when s has no upper-case ASCII letter.
func ASCIILower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
