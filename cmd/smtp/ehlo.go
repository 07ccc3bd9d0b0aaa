package main

import "strings"

// EHLO keyword bits (ehlo_mask.h).
const (
	ehlo8BitMIME   = 1 << 0
	ehloPipelining = 1 << 1
	ehloSize       = 1 << 2
	ehloVrfy       = 1 << 3
	ehloETRN       = 1 << 4
	ehloAuth       = 1 << 5
	ehloVERP       = 1 << 6
	ehloStartTLS   = 1 << 7
	ehloXclient    = 1 << 8
	ehloXforward   = 1 << 9
	ehloEnhanced   = 1 << 10
	ehloDSN        = 1 << 11
	ehloSMTPUTF8   = 1 << 12
	ehloChunking   = 1 << 13
	ehloSilent     = 1 << 15
)

// ehloTable is ehlo_mask.c's table, in its order (the odd second
// spelling of SMTPUTF8 comes first there, and str_ehlo_mask prints it).
var ehloTable = []struct {
	name string
	mask int
}{
	{"8BITMIME", ehlo8BitMIME}, {"AUTH", ehloAuth}, {"ETRN", ehloETRN},
	{"PIPELINING", ehloPipelining}, {"SIZE", ehloSize}, {"VERP", ehloVERP},
	{"VRFY", ehloVrfy}, {"XCLIENT", ehloXclient}, {"XFORWARD", ehloXforward},
	{"STARTTLS", ehloStartTLS}, {"ENHANCEDSTATUSCODES", ehloEnhanced}, {"DSN", ehloDSN},
	{"EHLO_MASK_SMTPUTF8", ehloSMTPUTF8}, {"SMTPUTF8", ehloSMTPUTF8}, {"CHUNKING", ehloChunking},
	{"SILENT-DISCARD", ehloSilent},
}

// ehloMask is ehlo_mask: names in any case, unknown names ignored.
func ehloMask(words string) int {
	mask := 0
	for _, w := range splitWords(words) {
		for _, e := range ehloTable {
			if strings.EqualFold(w, e.name) {
				mask |= e.mask
				break
			}
		}
	}
	return mask
}

// ehloMaskString is str_ehlo_mask.
func ehloMaskString(mask int) string {
	var out []string
	for _, e := range ehloTable {
		if mask&e.mask == e.mask {
			mask &^= e.mask
			out = append(out, e.name)
		}
	}
	return strings.Join(out, " ")
}
