package sasl

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// The mechanisms, after libsasl2's plugins (plain.c, login.c, cram.c,
// anonymous.c): the same steps, checks and failure texts.

// plain is RFC 4616: authzid NUL authcid NUL password.
func (x *exchange) plain(in []byte, hasInitial bool) outcome {
	if !hasInitial {
		var o outcome
		var ok bool
		if in, o, ok = x.ask(nil); !ok {
			return o
		}
	}
	i := bytes.IndexByte(in, 0)
	if i < 0 {
		return x.fail(statusBadProt, "", "Can only find author (no password)")
	}
	author, rest := cstr(in[:i]), in[i+1:]
	j := bytes.IndexByte(rest, 0)
	if j < 0 {
		return x.fail(statusBadProt, "", "Can only find author/en (no password)")
	}
	authen, pass := rest[:j], rest[j+1:]
	if bytes.IndexByte(pass, 0) >= 0 {
		return x.fail(statusBadProt, "", "Got more data than we were expecting in the PLAIN plugin\n")
	}
	sameID := author == "" || author == string(authen)
	user, o, ok := x.canon(authen)
	if !ok {
		return o
	}
	if st := x.checkpass(user, string(pass)); st != statusOK {
		return x.fail(st, user, "Password verification failed")
	}
	if sameID {
		return outcome{st: statusOK, user: user}
	}
	authz, o, ok := x.canon([]byte(author))
	if !ok {
		return o
	}
	if authz != user {
		return x.fail(statusBadAuth, authz, "Requested identity not authenticated identity")
	}
	return outcome{st: statusOK, user: authz}
}

// login is the LOGIN mechanism: "Username:" unless the initial response
// has it, then "Password:".
func (x *exchange) login(in []byte, hasInitial bool) outcome {
	var o outcome
	var ok bool
	if !hasInitial || len(in) == 0 {
		if in, o, ok = x.ask([]byte("Username:")); !ok {
			return o
		}
	}
	if len(in) > 1024 {
		return x.fail(statusBadProt, "", "username too long (>1024 characters)")
	}
	name := []byte(cstr(in))
	pass, o, ok := x.ask([]byte("Password:"))
	if !ok {
		return o
	}
	if len(pass) > 1024 {
		return x.fail(statusBadProt, "", "clientinlen is > 1024 characters in LOGIN plugin")
	}
	user, o, ok := x.canon(name)
	if !ok {
		return o
	}
	return outcome{st: x.checkpass(user, cstr(pass)), user: user}
}

// cram is CRAM-MD5 (RFC 2195) against the plaintext userPassword of
// the sasldb file, whatever pwcheck_method says.
func (x *exchange) cram(in []byte, hasInitial bool) outcome {
	if hasInitial {
		return x.fail(statusBadProt, "", "Remote sent first but mech does not allow it.")
	}
	challenge, err := x.c.challenge()
	if err != nil {
		return x.fail(statusFail, "", "%v", err)
	}
	resp, o, ok := x.ask([]byte(challenge))
	if !ok {
		return o
	}
	pos := bytes.LastIndexByte(resp, ' ')
	if pos <= 0 {
		return x.fail(statusBadProt, "", "need authentication name")
	}
	user, o, ok := x.canon([]byte(cstr(resp[:pos])))
	if !ok {
		return o
	}
	secret, st := x.sasldbPassword(user)
	switch {
	case st != statusOK:
		return outcome{st: st, user: user}
	case secret == "":
		return x.fail(statusFail, user, "empty secret")
	}
	m := hmac.New(md5.New, []byte(secret))
	m.Write([]byte(challenge))
	want := hex.EncodeToString(m.Sum(nil))
	if got := resp[pos+1:]; len(got) < len(want) || string(got[:len(want)]) != want {
		return x.fail(statusBadAuth, user, "incorrect digest response")
	}
	return outcome{st: statusOK, user: user}
}

// challenge is "<RANDOM.TIME@HOST>": a random 32-bit number and the
// clock in seconds modulo 0xFFFFFF.
func (c *Cyrus) challenge() (string, error) {
	var b [4]byte
	if _, err := c.o.Rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return fmt.Sprintf("<%d.%d@%s>", binary.BigEndian.Uint32(b[:]), c.o.Now().Unix()%0xFFFFFF, c.o.Hostname), nil
}

// anonymous is RFC 4505: any trace, and the user "anonymous".
func (x *exchange) anonymous(in []byte, hasInitial bool) outcome {
	if !hasInitial {
		var o outcome
		var ok bool
		if _, o, ok = x.ask(nil); !ok {
			return o
		}
	}
	user, o, ok := x.canon([]byte("anonymous"))
	if !ok {
		return o
	}
	return outcome{st: statusOK, user: user}
}
