package main

import (
	"strings"
	"unicode/utf8"

	"gopostfix/libglobal/deliver"
)

// SMTPUTF8 flags of a delivery request (smtputf8.h).
const (
	smtputf8Sender    = 1 << 2
	smtputf8Recipient = 1 << 3
)

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func validUTF8(s string) bool { return utf8.ValidString(s) }

// verpSender turns prefix@origin into prefix+user=domain@origin for the
// recipient's original address (verp_sender).
func verpSender(delims, sender string, r deliver.Recipient) string {
	sendLocal := len(sender)
	if at := strings.LastIndexByte(sender, '@'); at >= 0 {
		sendLocal = at
	}
	rcpt := r.Address
	if r.OrigAddr != "" {
		rcpt = r.OrigAddr
	}
	rcptLocal := len(rcpt)
	if at := strings.LastIndexByte(rcpt, '@'); at >= 0 {
		rcptLocal = at
	}
	var b strings.Builder
	b.WriteString(sender[:sendLocal])
	b.WriteByte(delims[0])
	b.WriteString(rcpt[:rcptLocal])
	if rcptLocal+1 < len(rcpt) {
		b.WriteByte(delims[1])
		b.WriteString(rcpt[rcptLocal+1:])
	}
	if sendLocal+1 < len(sender) {
		b.WriteByte('@')
		b.WriteString(sender[sendLocal+1:])
	}
	return b.String()
}
