package dict

import "strings"

// Flags are Postfix's DICT_FLAG_* bits. The numeric values are those of
// Postfix 3.7 because they cross process boundaries (the proxymap protocol
// carries them in its "flags" attribute).
type Flags uint32

const (
	FlagNone         Flags = 0
	FlagDupWarn      Flags = 1 << 0  // warn about duplicate keys
	FlagDupIgnore    Flags = 1 << 1  // ignore duplicate keys silently
	FlagTry0Null     Flags = 1 << 2  // keys and values without trailing NUL
	FlagTry1Null     Flags = 1 << 3  // keys and values with trailing NUL
	FlagFixed        Flags = 1 << 4  // fixed-string keys (hash, cdb, ...)
	FlagPattern      Flags = 1 << 5  // keys are patterns (regexp, cidr, ...)
	FlagLock         Flags = 1 << 6  // lock the file around each access
	FlagDupReplace   Flags = 1 << 7  // replace duplicate keys
	FlagSyncUpdate   Flags = 1 << 8  // sync each update
	FlagDebug        Flags = 1 << 9  // log every access
	FlagNoRegsub     Flags = 1 << 11 // no $number substitution
	FlagNoProxy      Flags = 1 << 12 // no proxy: tables
	FlagNoUnauth     Flags = 1 << 13 // no unauthenticated data (tcp:, ...)
	FlagFoldFix      Flags = 1 << 14 // case-fold keys of fixed-key tables
	FlagFoldMul      Flags = 1 << 15 // case-fold keys of pattern tables
	FlagOpenLock     Flags = 1 << 16 // hold a lock while open (single writer)
	FlagBulkUpdate   Flags = 1 << 17 // optimise for bulk updates
	FlagMultiWriter  Flags = 1 << 18 // safe for concurrent writers
	FlagUTF8Request  Flags = 1 << 19 // check and fold keys as UTF-8
	FlagUTF8Active   Flags = 1 << 20 // the UTF-8 layer is present
	FlagSrcRHSIsFile Flags = 1 << 21 // source values name files (postmap -F)

	FlagFoldAny  = FlagFoldFix | FlagFoldMul
	FlagParanoid = FlagNoRegsub | FlagNoProxy | FlagNoUnauth
	// FlagImplMask are the flags a type sets for itself.
	FlagImplMask = FlagFixed | FlagPattern | FlagMultiWriter
	// FlagRqstMask are the flags a requester may change between requests.
	FlagRqstMask = FlagFoldAny | FlagLock | FlagDupReplace | FlagDupWarn |
		FlagDupIgnore | FlagSyncUpdate | FlagParanoid | FlagUTF8Request
	// FlagInstMask are the flags that identify one open instance.
	FlagInstMask = ^(FlagImplMask | FlagRqstMask)

	// FlagDefault is what Postfix programs pass when they open tables for
	// lookups (DICT_FLAG_DEFAULT): per-access locking, fold fixed keys.
	FlagDefault = FlagLock | FlagFoldFix | FlagUTF8Request
	// FlagMkmapDefault is what postmap and postalias pass when they write
	// tables (DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX | UTF-8 request).
	FlagMkmapDefault = FlagDupWarn | FlagFoldFix | FlagUTF8Request
)

// flagNames are the names dict_flags_str uses, in bit order.
var flagNames = []struct {
	name string
	bit  Flags
}{
	{"warn_dup", FlagDupWarn},
	{"ignore_dup", FlagDupIgnore},
	{"try0null", FlagTry0Null},
	{"try1null", FlagTry1Null},
	{"fixed", FlagFixed},
	{"pattern", FlagPattern},
	{"lock", FlagLock},
	{"replace", FlagDupReplace},
	{"sync_update", FlagSyncUpdate},
	{"debug", FlagDebug},
	{"no_regsub", FlagNoRegsub},
	{"no_proxy", FlagNoProxy},
	{"no_unauth", FlagNoUnauth},
	{"fold_fix", FlagFoldFix},
	{"fold_mul", FlagFoldMul},
	{"open_lock", FlagOpenLock},
	{"bulk_update", FlagBulkUpdate},
	{"multi_writer", FlagMultiWriter},
	{"utf8_request", FlagUTF8Request},
	{"utf8_active", FlagUTF8Active},
	{"src_rhs_is_file", FlagSrcRHSIsFile},
}

// String returns the flag names joined with '|', as dict_flags_str does
// for verbose logging.
func (f Flags) String() string {
	var names []string
	for _, n := range flagNames {
		if f&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "|")
}

// ParseFlags converts a '|'-separated list of names back into Flags. ok is
// false when a name is unknown.
func ParseFlags(s string) (f Flags, ok bool) {
	ok = true
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ' ' || r == ',' }) {
		found := false
		for _, n := range flagNames {
			if n.name == word {
				f |= n.bit
				found = true
			}
		}
		ok = ok && found
	}
	return f, ok
}
