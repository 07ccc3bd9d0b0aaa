package sasl

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// exchange is one AUTH command in progress.
type exchange struct {
	c       *Cyrus
	req     Request
	aborted bool
}

// outcome is how a mechanism ended: the status, and the user name
// libsasl2 knows by then (SASL_USERNAME), "" when none.
type outcome struct {
	st   status
	user string
}

// fail logs a libsasl2 authentication failure (sasl_seterror without
// SASL_NOLOG) and returns st.
func (x *exchange) fail(st status, user, format string, args ...any) outcome {
	x.c.o.Log.Warnf("SASL authentication failure: "+format, args...)
	return outcome{st: st, user: user}
}

// ask sends a challenge and returns the decoded answer; ok is false when
// the exchange ended (the client aborted, or there is no client to ask,
// or the answer is not base64, which out then describes).
func (x *exchange) ask(challenge []byte) (answer []byte, out outcome, ok bool) {
	if x.req.Challenge == nil {
		x.aborted = true
		return nil, outcome{}, false
	}
	resp, more := x.req.Challenge(base64.StdEncoding.EncodeToString(challenge))
	if !more {
		x.aborted = true
		return nil, outcome{}, false
	}
	data, st := decode64(resp)
	if st != statusOK {
		return nil, outcome{st: st}, false
	}
	return data, outcome{}, true
}

// Authenticate runs one AUTH exchange as xsasl_cyrus_server_first and
// _next do with libsasl2: the initial response ("" none, "=" as the
// client sent it) and each answer go through sasl_decode64, failures
// carry sasl_errstring's text and SASL_NOUSER is reported as
// SASL_BADAUTH.
func (c *Cyrus) Authenticate(req Request) (Result, error) {
	x := &exchange{c: c, req: req}
	var initial []byte
	hasInitial := req.Initial != ""
	if hasInitial {
		var st status
		if initial, st = decode64(req.Initial); st != statusOK {
			return Result{Reason: st.text()}, nil
		}
	}
	// Mechanism names are case-insensitive; messages show the client's.
	var out outcome
	opts := c.o.SecurityOptions
	if req.Secured {
		opts = c.o.TLSSecurityOptions
	}
	switch mech := strings.ToUpper(req.Mechanism); {
	case !contains(c.candidates(), mech):
		out = x.fail(statusNoMech, "", "Couldn't find mech %s", req.Mechanism)
	case unmet(mech, opts)&secNoPlaintext != 0:
		// mech_permitted: refused without a log line.
		out = outcome{st: statusEncrypt}
	case unmet(mech, opts) != 0:
		out = outcome{st: statusNoMech}
	case mech == "PLAIN":
		out = x.plain(initial, hasInitial)
	case mech == "LOGIN":
		out = x.login(initial, hasInitial)
	case mech == "CRAM-MD5":
		out = x.cram(initial, hasInitial)
	default:
		out = x.anonymous(initial, hasInitial)
	}
	if x.aborted {
		return Result{Aborted: true}, nil
	}
	if out.st == statusOK {
		return Result{OK: true, Username: out.user}, nil
	}
	if out.st == statusNoUser {
		out.st = statusBadAuth
	}
	return Result{Reason: out.st.text(), Temp: out.st.temporary(), Username: out.user}, nil
}

// canon is libsasl2's internal user name canonicalization: surrounding
// white space goes, and the realm (smtpd_sasl_local_domain) is appended
// to a name without '@'.
func (x *exchange) canon(user []byte) (string, outcome, bool) {
	u := string(bytes.TrimFunc(user, isCSpace))
	if u == "" {
		return "", x.fail(statusFail, "", "All-whitespace username."), false
	}
	if x.c.o.Realm != "" && bytes.IndexByte(user, '@') < 0 {
		u += "@" + x.c.o.Realm
	}
	return u, outcome{}, true
}

func isCSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// cstr is a C string's view of bytes: up to the first NUL.
func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
