// Package notices picks the postmaster notices of Postfix's SMTP server
// (smtpd_chat_notify: "Subject: Postfix SMTP server: errors from ...")
// out of an mbox file, masked so that the notices of the real smtpd and
// ours compare equal when they say the same: the mbox From_ line's date,
// the Received:/Date: dates, queue IDs and message IDs are replaced.
// The end-to-end tests of tests/smtpd and tests/hostile use it.
package notices

import (
	"regexp"
	"strings"
)

// Subject starts the Subject: line of smtpd's notices.
const Subject = "Subject: Postfix SMTP server: errors from "

var masks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?m)^From (\S+) .*$`), "From $1 DATE"},
	{regexp.MustCompile(`[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [-+]\d{4} \(\w+\)`), "DATE"},
	{regexp.MustCompile(`<\d{14}\.[0-9A-Za-z]+@`), "<MID@"},
	{regexp.MustCompile(`(?m)^\tid [0-9A-Za-z]+;`), "\tid ID;"},
	{regexp.MustCompile(`\b[0-9A-F]{6,12}\b`), "ID"},
}

// Find returns the SMTP server notices of an mbox in mailbox order, each
// one message from its From_ line to its end (without the blank line
// that separates messages), masked.
func Find(mbox string) []string {
	var out []string
	for _, m := range strings.Split("\n"+mbox, "\nFrom ")[1:] {
		if !strings.Contains(m, "\n"+Subject) {
			continue
		}
		m = "From " + strings.TrimRight(m, "\n")
		for _, mk := range masks {
			m = mk.re.ReplaceAllString(m, mk.with)
		}
		out = append(out, m)
	}
	return out
}
