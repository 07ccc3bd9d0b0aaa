package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/queue"
)

// uts46 is ICU's UTS #46 ToASCII as Postfix opens it: non-transitional,
// without the STD3 ASCII rules (so "_" passes), hyphens, joiners and
// bidi checked.
var uts46 = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false),
	idna.BidiRule(), idna.CheckHyphens(true), idna.CheckJoiners(true), idna.VerifyDNSLength(true))

// siteToPath turns a destination into its logfile name: the ASCII form
// (IDNA, which folds case), letters and digits lower-cased, anything else
// "_" (flush_site_to_path). false means the name has no ASCII form.
func (f *flusher) siteToPath(site string) (string, bool) {
	ascii, ok := f.toASCII(site)
	if !ok {
		return "", false
	}
	b := make([]byte, len(ascii))
	for i := 0; i < len(ascii); i++ {
		switch c := ascii[i]; {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b[i] = c
		default:
			b[i] = '_'
		}
	}
	return string(b), true
}

// toASCII is midna_domain_to_ascii: the UTS #46 conversion, whose result
// must be a valid host name.
func (f *flusher) toASCII(name string) (string, bool) {
	const myname = "midna_domain_to_ascii_create"
	problem := func(why string) (string, bool) {
		f.log.Warnf("%s: Problem translating domain \"%.100s\" to ASCII form: %s", myname, name, why)
		return "", false
	}
	if !isASCII(name) && !utf8.ValidString(name) {
		return problem("malformed UTF-8")
	}
	ascii, err := uts46.ToASCII(name)
	if err != nil || ascii == "" {
		return problem(idnaError(name))
	}
	if strings.Contains(ascii, "*") || !dns.ValidHostname(ascii) || strings.HasSuffix(ascii, ".") {
		return problem("malformed ASCII label(s)")
	}
	return ascii, true
}

// idnaError names the first problem ICU would report, by its UIDNA_ERROR
// name, for the checks that are easy to tell apart.
func idnaError(name string) string {
	labels := strings.Split(name, ".")
	for i, l := range labels {
		switch {
		case l == "" && i != len(labels)-1:
			return "UIDNA_ERROR_EMPTY_LABEL"
		case len(l) > 63:
			return "UIDNA_ERROR_LABEL_TOO_LONG"
		case strings.HasPrefix(l, "-"):
			return "UIDNA_ERROR_LEADING_HYPHEN"
		case strings.HasSuffix(l, "-"):
			return "UIDNA_ERROR_TRAILING_HYPHEN"
		case len(l) >= 4 && l[2:4] == "--":
			return "UIDNA_ERROR_HYPHEN_3_4"
		}
	}
	if len(name) > 253 {
		return "UIDNA_ERROR_DOMAIN_NAME_TOO_LONG"
	}
	return "UIDNA_ERROR_DISALLOWED"
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// idOK is mail_queue_id_ok: a queue ID or logfile name.
func idOK(id string) bool { return queue.IDOK(id) }

// safeOpen opens an existing queue file for update without following
// links (safe_open).
func safeOpen(path string) (*os.File, *syscall.Stat_t, error) {
	return mbox.SafeOpen(path, os.O_RDWR, 0, -1, -1)
}

var errEOF = io.EOF

// isTimeout tells a read time-out from other errors.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// eofText is the reason Postfix gives when a client closed before it
// sent a request: a plain end of file, or the system error.
func eofText(err error) string {
	if err == nil || errors.Is(err, io.EOF) {
		return "Application error"
	}
	return queue.Strerror(err)
}
