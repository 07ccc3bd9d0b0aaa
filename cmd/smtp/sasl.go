package main

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// saslConfig holds the smtp_sasl_* parameters.
type saslConfig struct {
	enable, dummyMailAuth, softBounce, senderAuth bool
	passwdMaps, mechFilter                        string
	opts, tlsOpts, tlsvOpts                       string
}

func loadSASLConfig(p params) saslConfig {
	return saslConfig{enable: p.boolean("smtp_sasl_auth_enable"), dummyMailAuth: p.boolean("smtp_send_dummy_mail_auth"),
		softBounce: p.boolean("smtp_sasl_auth_soft_bounce"), senderAuth: p.boolean("smtp_sender_dependent_authentication"),
		passwdMaps: p.str("smtp_sasl_password_maps"), mechFilter: p.str("smtp_sasl_mechanism_filter"),
		opts: p.str("smtp_sasl_security_options"), tlsOpts: p.str("smtp_sasl_tls_security_options"),
		tlsvOpts: p.str("smtp_sasl_tls_verified_security_options")}
}

// initSASL opens the password table and the mechanism filter
// (smtp_sasl_initialize).
func (a *agent) initSASL() error {
	c := a.cfg.sasl
	if !c.enable {
		return nil
	}
	if c.passwdMaps == "" {
		return fmt.Errorf("specify a password table via the `%s' configuration parameter", a.par.name("smtp_sasl_password_maps"))
	}
	var err error
	if a.saslPasswd, err = maps.Open(a.reg, a.par.name("smtp_sasl_password_maps"), c.passwdMaps,
		dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request, a.log); err != nil {
		return err
	}
	if c.mechFilter != "" {
		if a.saslMechFilter, err = maps.NewMatchList(a.reg, "smtp_sasl_mechanism_filter", c.mechFilter, maps.StringList, false, a.log); err != nil {
			return err
		}
	}
	return nil
}

// saslHeloAuth records the mechanisms of an EHLO AUTH keyword, minus
// the filtered ones (smtp_sasl_helo_auth).
func (st *state) saslHeloAuth(words string) {
	s := st.sess
	var kept []string
	for _, w := range strings.Fields(words) {
		if st.ag.saslMechFilter == nil {
			kept = append(kept, w)
		} else if ok, _ := st.ag.saslMechFilter.Match(w); ok {
			kept = append(kept, w)
		}
	}
	list := strings.Join(kept, " ")
	if s.saslMechs != "" {
		if !strings.EqualFold(s.saslMechs, list) && list != "" && len(s.saslMechs) < st.ag.cfg.lineLimit {
			s.saslMechs += " " + list
		}
		return
	}
	if list != "" {
		s.saslMechs = list
	} else if strings.TrimSpace(words) != "" {
		st.ag.log.Warnf("%s offered no supported AUTH mechanisms: '%s'", s.namaddrport, words)
	} else {
		st.ag.log.Warnf("%s offered null AUTH mechanism list", s.namaddrport)
	}
	s.features |= featAuth
}

// haveSASLCredentials is HAVE_SASL_CREDENTIALS.
func (st *state) haveSASLCredentials() bool {
	if !st.ag.cfg.sasl.enable || st.ag.saslPasswd == nil || st.sess == nil {
		return false
	}
	found, _ := st.saslPasswdLookup()
	return found
}

// saslPasswdLookup finds "user:password" by sender (optional), server
// name, then nexthop (smtp_sasl_passwd_lookup).
func (st *state) saslPasswdLookup() (bool, error) {
	s, m := st.sess, st.ag.saslPasswd
	var keys []string
	if !st.ag.cfg.lmtp && st.ag.cfg.sasl.senderAuth && st.req.Sender != "" {
		keys = append(keys, maps.AddrKeys(st.req.Sender)...)
	}
	keys = append(keys, st.it.host, st.it.dest)
	for _, k := range keys {
		v, found, err := m.Find(k, false)
		if err != nil {
			return false, err
		}
		if found {
			user, pass, _ := strings.Cut(v, ":")
			s.saslUser, s.saslPasswd = user, pass
			return true, nil
		}
	}
	return false, nil
}

// saslLogin authenticates when credentials exist (smtp_sasl_helo_login).
func (st *state) saslLogin() int {
	s := st.sess
	found, err := st.saslPasswdLookup()
	if err != nil {
		st.ag.log.Warnf("%s: %s lookup error", st.req.QueueID, st.ag.par.name("smtp_sasl_password_maps"))
		return st.streamExcept(errData, "performing the EHLO handshake")
	}
	if !found {
		s.features &^= featAuth
		return 0
	}
	if s.saslMechs == "" {
		st.setWhy("4.7.0", fmt.Sprintf("SASL authentication failed: server %s offered no compatible "+
			"authentication mechanisms for this type of connection security", s.namaddr))
		return st.sessFail()
	}
	opts := st.ag.cfg.sasl.opts
	if s.tls != nil {
		opts = st.ag.cfg.sasl.tlsOpts
		if tlsMustMatch(st.tls.level) {
			opts = st.ag.cfg.sasl.tlsvOpts
		}
	}
	if ok, err := st.saslAuthenticate(opts); err != nil {
		return st.streamExcept(err, "performing the EHLO handshake")
	} else if !ok {
		return st.sessFail()
	}
	return 0
}

// saslMech picks a mechanism as the Cyrus client does among those we
// implement: one that does not send the password in the clear first,
// then the first plaintext one the server listed.
func saslMech(offered, opts string) string {
	noPlain, noDict := false, false
	for _, o := range splitWords(opts) {
		switch strings.ToLower(o) {
		case "noplaintext":
			noPlain = true
		case "nodictionary":
			noDict = true
		}
	}
	var plain string
	for _, m := range strings.Fields(offered) {
		switch strings.ToUpper(m) {
		case "CRAM-MD5":
			if !noDict {
				return "CRAM-MD5"
			}
		case "PLAIN", "LOGIN":
			if !noPlain && plain == "" {
				plain = strings.ToUpper(m)
			}
		}
	}
	return plain
}

// saslAuthenticate runs the AUTH exchange (smtp_sasl_authenticate):
// false with st.why set when it failed.
func (st *state) saslAuthenticate(opts string) (bool, error) {
	s := st.sess
	mech := saslMech(s.saslMechs, opts)
	cantAuth := func(reason string) (bool, error) {
		st.why = dsn.DSN{Status: "4.7.0", Reason: fmt.Sprintf("SASL authentication failed; cannot authenticate to server %s: %s", s.namaddr, reason),
			DType: "sasl", DText: reason}
		return false, nil
	}
	if mech == "" {
		return cantAuth("no mechanism available")
	}
	var err error
	loginStep := 0
	switch mech {
	case "PLAIN":
		initial := base64.StdEncoding.EncodeToString([]byte("\x00" + s.saslUser + "\x00" + s.saslPasswd))
		err = s.cmd("AUTH %s %s", mech, initial)
	default:
		err = s.cmd("AUTH %s", mech)
	}
	if err != nil {
		return false, err
	}
	for steps := 0; ; steps++ {
		resp, err := s.resp()
		if err != nil {
			return false, err
		}
		if resp.code/100 != 3 {
			if resp.code/100 != 2 {
				if st.ag.cfg.sasl.softBounce && resp.code/100 == 5 {
					resp.dsn = "4" + resp.dsn[1:]
				}
				st.why = dsn.DSN{Status: resp.dsn, Reason: fmt.Sprintf("SASL authentication failed; server %s said: %s", s.namaddr, resp.str),
					MType: "dns", MName: st.it.host, DType: "smtp", DText: resp.str}
				return false, nil
			}
			return true, nil
		}
		if steps >= 100 {
			st.setWhy("4.3.0", fmt.Sprintf("SASL authentication failed; authentication protocol loop with server %s", s.namaddr))
			return false, nil
		}
		line := resp.str
		strtok(&line, "- \t\n")
		line = strings.TrimSpace(line)
		challenge, derr := base64.StdEncoding.DecodeString(line)
		if derr != nil {
			return cantAuth("malformed SASL challenge from server")
		}
		var reply string
		switch mech {
		case "CRAM-MD5":
			h := hmac.New(md5.New, []byte(s.saslPasswd))
			h.Write(challenge)
			reply = s.saslUser + " " + hex.EncodeToString(h.Sum(nil))
		case "LOGIN":
			reply = s.saslUser
			if loginStep > 0 {
				reply = s.saslPasswd
			}
			loginStep++
		case "PLAIN":
			if line != "" {
				st.why = dsn.DSN{Status: "4.7.0", Reason: fmt.Sprintf("SASL authentication failed; non-empty initial %s challenge from server %s: %s",
					mech, s.namaddr, ""), DType: "sasl", DText: "protocol error"}
				return false, nil
			}
		}
		if err := s.cmd("%s", base64.StdEncoding.EncodeToString([]byte(reply))); err != nil {
			return false, err
		}
	}
}
