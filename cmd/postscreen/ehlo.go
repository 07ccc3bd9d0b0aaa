package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/ehlomask"
)

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
		add(ehlomask.Size, true, fmt.Sprintf("SIZE %d", c.messageLimit))
	} else {
		add(ehlomask.Size, true, "SIZE")
	}
	add(ehlomask.Vrfy, !c.disableVrfyCmd, "VRFY")
	add(ehlomask.ETRN, true, "ETRN")
	add(ehlomask.StartTLS, c.useTLS, "STARTTLS")
	add(ehlomask.Enhanced, true, "ENHANCEDSTATUSCODES")
	add(ehlomask.EightBitMIME, true, "8BITMIME")
	add(ehlomask.DSN, true, "DSN")
	add(ehlomask.SMTPUTF8, c.smtputf8, "SMTPUTF8")
	add(ehlomask.Chunking, true, "CHUNKING")
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
