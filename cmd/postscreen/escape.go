package main

import "gopostfix/libglobal/util/stringops"

// escapeN escapes at most n bytes of p (PSC_SMTPD_ESCAPE_TEXT).
func escapeN(p []byte, n int) string { return stringops.Escape(p[:min(len(p), n)]) }
