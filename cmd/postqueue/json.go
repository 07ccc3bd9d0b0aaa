package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"gopostfix/libglobal/showq"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// printJSON writes one JSON object per message and line (showq_json),
// members in Postfix's order and spacing; nothing for an empty queue.
func printJSON(sr *showq.Reader, out io.Writer, utf8 bool) error {
	w := bufio.NewWriter(out)
	q := func(s string) string { return jsonQuote(s, utf8) }
	for {
		m, ok, err := sr.NextMessage()
		if err != nil || !ok {
			return err
		}
		fmt.Fprintf(w, `{"queue_name": "%s", "queue_id": "%s", "arrival_time": %d, "message_size": %d, "forced_expire": %t, "sender": "%s", "recipients": [`,
			q(m.Queue), q(m.ID), m.Arrival, m.Size, m.ForcedExpire, q(m.Sender))
		for n := 0; ; n++ {
			r, ok, err := sr.NextRecipient()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if n > 0 {
				w.WriteString(", ")
			}
			fmt.Fprintf(w, `{"address": "%s"`, q(r.Address))
			if r.Reason != "" {
				fmt.Fprintf(w, `, "delay_reason": "%s"`, q(r.Reason))
			}
			w.WriteString("}")
		}
		w.WriteString("]}\n")
		if done, err := flushOut(w); done {
			return err
		}
	}
}

// jsonQuote escapes a string for a JSON string value (json_quote):
// short escapes for common control characters, \u00XX for the others
// (DEL included), backslash before '\' and '"'; then bytes that are not
// printable (or valid UTF-8 with smtputf8_enable) become '?'.
func jsonQuote(s string, utf8 bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, c)
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	if utf8 {
		return dict.Printable(b.String())
	}
	return msg.PrintableText(b.String())
}
