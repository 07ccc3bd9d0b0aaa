package bouncelog

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/tok822"
)

// Entry is one recipient's record in a logfile.
type Entry struct {
	Recipient     string // internal form
	OrigRecipient string
	Offset        int64 // of the R record in the queue file
	DSNOrcpt      string
	Notify        int // DSN NOTIFY mask
	Status        string
	Action        string
	DiagType      string
	DiagText      string
	MTAType       string
	MTAName       string
	Reason        string
}

// Format returns the text Append writes for e. oldCompat adds the
// old-style "<rcpt>: reason" line.
func Format(e Entry, oldCompat bool) string {
	var b strings.Builder
	quote := func(a string) string { return tok822.QuoteLocal(a, tok822.QuoteDefault) }
	b.WriteString("\n")
	if oldCompat {
		r := ""
		if e.Recipient != "" {
			r = quote(e.Recipient)
		}
		fmt.Fprintf(&b, "<%s>: %s\n", r, e.Reason)
	}
	if e.Recipient != "" {
		fmt.Fprintf(&b, "recipient=%s\n", quote(e.Recipient))
	} else {
		b.WriteString("recipient=<>\n")
	}
	if e.OrigRecipient != "" && !strings.EqualFold(e.Recipient, e.OrigRecipient) {
		fmt.Fprintf(&b, "original_recipient=%s\n", quote(e.OrigRecipient))
	}
	if e.Offset > 0 {
		fmt.Fprintf(&b, "offset=%d\n", e.Offset)
	}
	if e.DSNOrcpt != "" {
		fmt.Fprintf(&b, "dsn_orig_rcpt=%s\n", e.DSNOrcpt)
	}
	if e.Notify != 0 {
		fmt.Fprintf(&b, "notify_flags=%d\n", e.Notify)
	}
	if e.Status != "" {
		fmt.Fprintf(&b, "status=%s\n", e.Status)
	}
	if e.Action != "" {
		fmt.Fprintf(&b, "action=%s\n", e.Action)
	}
	if e.DiagType != "" && e.DiagText != "" {
		fmt.Fprintf(&b, "diag_type=%s\ndiag_text=%s\n", e.DiagType, e.DiagText)
	}
	if e.MTAType != "" && e.MTAName != "" {
		fmt.Fprintf(&b, "mta_type=%s\nmta_mname=%s\n", e.MTAType, e.MTAName)
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, "reason=%s\n", e.Reason)
	}
	b.WriteString("\n")
	return b.String()
}
