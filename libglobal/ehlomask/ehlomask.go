// Package ehlomask converts between EHLO keyword lists and bit masks, as
// Postfix's ehlo_mask(3) (src/global/ehlo_mask.c) does for
// smtpd_discard_ehlo_keywords, postscreen_discard_ehlo_keywords,
// smtp_discard_ehlo_keywords and the *_address_maps variants.
//
// Difference: String ignores bits that name no keyword, where
// str_ehlo_mask would end the program; no caller builds such a mask.
package ehlomask

import (
	"strings"

	"gopostfix/libglobal/util/namemask"
)

// The keyword bits (ehlo_mask.h).
const (
	EightBitMIME = 1 << 0
	Pipelining   = 1 << 1
	Size         = 1 << 2
	Vrfy         = 1 << 3
	ETRN         = 1 << 4
	Auth         = 1 << 5
	VERP         = 1 << 6
	StartTLS     = 1 << 7
	Xclient      = 1 << 8
	Xforward     = 1 << 9
	Enhanced     = 1 << 10 // ENHANCEDSTATUSCODES
	DSN          = 1 << 11
	SMTPUTF8     = 1 << 12
	Chunking     = 1 << 13
	Silent       = 1 << 15 // SILENT-DISCARD: discard without logging
)

// table is ehlo_mask.c's table in its order, which is also the order
// String names bits in; SMTPUTF8 has a second, odd spelling that comes
// first and is the one printed.
var table = []namemask.Name{
	{Name: "8BITMIME", Mask: EightBitMIME}, {Name: "AUTH", Mask: Auth}, {Name: "ETRN", Mask: ETRN},
	{Name: "PIPELINING", Mask: Pipelining}, {Name: "SIZE", Mask: Size}, {Name: "VERP", Mask: VERP},
	{Name: "VRFY", Mask: Vrfy}, {Name: "XCLIENT", Mask: Xclient}, {Name: "XFORWARD", Mask: Xforward},
	{Name: "STARTTLS", Mask: StartTLS}, {Name: "ENHANCEDSTATUSCODES", Mask: Enhanced}, {Name: "DSN", Mask: DSN},
	{Name: "EHLO_MASK_SMTPUTF8", Mask: SMTPUTF8}, {Name: "SMTPUTF8", Mask: SMTPUTF8},
	{Name: "CHUNKING", Mask: Chunking}, {Name: "SILENT-DISCARD", Mask: Silent},
}

// Mask is ehlo_mask: the bits of the keywords in words (separated by
// commas or white space), in any case; unknown keywords are ignored so
// that a setting survives a change of Postfix version.
func Mask(words string) int {
	mask := 0
	for _, w := range strings.FieldsFunc(words, func(r rune) bool { return strings.ContainsRune(namemask.Delim, r) }) {
		for _, e := range table {
			if strings.EqualFold(w, e.Name) {
				mask |= e.Mask
				break
			}
		}
	}
	return mask
}

// String is str_ehlo_mask: the keywords of mask, space separated, each
// bit named once.
func String(mask int) string {
	var out []string
	for _, e := range table {
		if mask&e.Mask != 0 {
			mask &^= e.Mask
			out = append(out, e.Name)
		}
	}
	return strings.Join(out, " ")
}
