package main

import (
	"errors"

	"gopostfix/libmaster"
	"gopostfix/libtls"
)

// tlsServer builds the STARTTLS configuration from the smtpd_tls_*
// parameters (smtpd.c pre_jail_init): nil when TLS is off or, at level
// "may", when the certificates cannot be loaded (with a warning); fatal
// at level "encrypt".
func tlsServer(s *libmaster.Server, p params) *libtls.Server {
	if s.Flags.StandAlone {
		return nil
	}
	level := libtls.LevelFrom(p.Str("smtpd_tls_security_level"), p.Bool("smtpd_use_tls"), p.Bool("smtpd_enforce_tls"),
		func(w string) { s.Log.Warnf("%s", w) })
	if p.Bool("smtpd_tls_wrappermode") {
		level = libtls.LevelEncrypt
	}
	srv, err := libtls.NewServer(libtls.ServerParams{
		Level:        level,
		CertFile:     p.Str("smtpd_tls_cert_file"),
		KeyFile:      p.Str("smtpd_tls_key_file"),
		ChainFiles:   p.List("smtpd_tls_chain_files"),
		CAFile:       p.Str("smtpd_tls_CAfile"),
		Protocols:    p.Str("smtpd_tls_protocols"),
		MandProtos:   p.Str("smtpd_tls_mandatory_protocols"),
		AskClientCrt: p.Bool("smtpd_tls_ask_ccert"),
		ReqClientCrt: p.Bool("smtpd_tls_req_ccert"),
	})
	if err != nil {
		if level == libtls.LevelEncrypt {
			s.Log.Fatalf("No server certs available. TLS can't be enabled")
		}
		if !errors.Is(err, libtls.ErrNoCerts) {
			s.Log.Warnf("%v", err)
		}
		s.Log.Warnf("No server certs available. TLS won't be enabled")
		return nil
	}
	return srv
}
