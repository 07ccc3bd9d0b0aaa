package main

import (
	"fmt"
	"strings"
)

// EHLO keyword bits (ehlo_mask.h).
const (
	ehlo8BitMIME   = 1 << 0
	ehloPipelining = 1 << 1
	ehloSize       = 1 << 2
	ehloVrfy       = 1 << 3
	ehloEtrn       = 1 << 4
	ehloAuth       = 1 << 5
	ehloVerp       = 1 << 6
	ehloStartTLS   = 1 << 7
	ehloXclient    = 1 << 8
	ehloXforward   = 1 << 9
	ehloEnhanced   = 1 << 10
	ehloDSN        = 1 << 11
	ehloSMTPUTF8   = 1 << 12
	ehloChunking   = 1 << 13
	ehloSilent     = 1 << 15
)

var ehloNames = []struct {
	name string
	bit  int
}{
	{"8BITMIME", ehlo8BitMIME}, {"AUTH", ehloAuth}, {"ETRN", ehloEtrn}, {"PIPELINING", ehloPipelining},
	{"SIZE", ehloSize}, {"VERP", ehloVerp}, {"VRFY", ehloVrfy}, {"XCLIENT", ehloXclient},
	{"XFORWARD", ehloXforward}, {"STARTTLS", ehloStartTLS}, {"ENHANCEDSTATUSCODES", ehloEnhanced},
	{"DSN", ehloDSN}, {"EHLO_MASK_SMTPUTF8", ehloSMTPUTF8}, {"SMTPUTF8", ehloSMTPUTF8},
	{"CHUNKING", ehloChunking}, {"SILENT-DISCARD", ehloSilent},
}

// ehloMask turns a keyword list into bits (ehlo_mask): any case, unknown
// words ignored.
func ehloMask(words string) int {
	mask := 0
	for _, w := range strings.FieldsFunc(words, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }) {
		for _, n := range ehloNames {
			if strings.EqualFold(w, n.name) {
				mask |= n.bit
				break
			}
		}
	}
	return mask
}

// ehloMaskString names the bits (str_ehlo_mask).
func ehloMaskString(mask int) string {
	var out []string
	for _, n := range ehloNames {
		if mask&n.bit != 0 {
			out = append(out, n.name)
			mask &^= n.bit
		}
	}
	return strings.Join(out, " ")
}

// ehloReply formats the EHLO reply without the keywords in discard
// (psc_smtpd_format_ehlo_reply): no PIPELINING, as postscreen never
// announces it.
func (c *config) ehloReply(discard int) string {
	lines := []string{c.myhostname}
	add := func(bit int, ok bool, line string) {
		if discard&bit == 0 && ok {
			lines = append(lines, line)
		}
	}
	if c.messageLimit > 0 {
		add(ehloSize, true, fmt.Sprintf("SIZE %d", c.messageLimit))
	} else {
		add(ehloSize, true, "SIZE")
	}
	add(ehloVrfy, !c.disableVrfyCmd, "VRFY")
	add(ehloEtrn, true, "ETRN")
	add(ehloStartTLS, c.useTLS, "STARTTLS")
	add(ehloEnhanced, true, "ENHANCEDSTATUSCODES")
	add(ehlo8BitMIME, true, "8BITMIME")
	add(ehloDSN, true, "DSN")
	add(ehloSMTPUTF8, c.smtputf8, "SMTPUTF8")
	add(ehloChunking, true, "CHUNKING")
	var b strings.Builder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		b.WriteString("250" + sep + l + "\r\n")
	}
	return b.String()
}
