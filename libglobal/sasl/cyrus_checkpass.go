package sasl

import (
	"errors"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/syserr"
)

// checkpass is sasl_checkpass: each pwcheck_method in turn until one
// accepts the password.
func (x *exchange) checkpass(user, pass string) status {
	st, tried := statusNoMech, false
	for _, m := range x.c.pwcheck {
		switch m {
		case "auxprop":
			st = x.auxprop(user, pass)
		case "saslauthd":
			st = x.saslauthd(user, pass)
		case "alwaystrue":
			// Debian builds libsasl2 with this test verifier.
			x.c.o.Log.Warnf("SASL authentication problem: AlwaysTrue Password Verifier Verified: %s", user)
			st = statusOK
		default:
			continue
		}
		tried = true
		if st == statusOK {
			return st
		}
	}
	if !tried {
		// libsasl2 logs this at its error level, not as a failure.
		x.c.o.Log.Warnf("SASL authentication problem: unknown password verifier(s) %s", x.c.conf.Option("pwcheck_method", "auxprop"))
	}
	return st
}

// auxprop compares the password with the sasldb's userPassword.
func (x *exchange) auxprop(user, pass string) status {
	secret, st := x.sasldbPassword(user)
	switch {
	case st != statusOK:
		return st
	case secret != pass:
		return statusBadAuth
	}
	return statusOK
}

// sasldbPassword looks a canonical user name up in the sasldb file:
// the realm follows the first '@', else it is smtpd_sasl_local_domain
// or myhostname.
func (x *exchange) sasldbPassword(user string) (string, status) {
	name, realm, ok := strings.Cut(user, "@")
	if !ok {
		realm = x.c.o.Realm
		if realm == "" {
			realm = x.c.o.Hostname
		}
	}
	secret, found, err := SasldbPassword(x.c.o.OpenDB, x.c.sasldb, name, realm)
	var oe *SasldbOpenError
	switch {
	case errors.Is(err, syscall.ENOENT):
		// Reading a file that does not exist finds no user.
		return "", statusNoUser
	case errors.As(err, &oe):
		x.c.o.Log.Warnf("SASL authentication problem: %v", err)
		return "", statusFail
	case err != nil:
		x.fail(statusFail, "", "error fetching from sasldb: %s", syserr.Text(errors.Unwrap(err)))
		return "", statusFail
	case !found:
		return "", statusNoUser
	}
	return secret, statusOK
}

// saslauthd asks saslauthd: the realm follows the last '@' of the
// canonical name, else there is none; the service is
// smtpd_sasl_service.
func (x *exchange) saslauthd(user, pass string) status {
	realm := ""
	if i := strings.LastIndexByte(user, '@'); i >= 0 {
		user, realm = user[:i], user[i+1:]
	}
	ok, err := SaslauthdVerify(x.c.saslauthd, user, pass, x.req.Service, realm, x.c.o.Timeout)
	switch {
	case err != nil:
		x.fail(statusFail, "", "%s", saslauthdText(err))
		return statusFail
	case !ok:
		return statusBadAuth
	}
	return statusOK
}
