package main

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"gopostfix/libmaster"
	"gopostfix/libtls"
)

// proxy is the process: the server-role TLS configuration, made before
// the privilege drop, and what the sessions read from main.cf.
type proxy struct {
	server   *libtls.Server
	logLevel int
	client   *clientKeys // nil when the client role has no settings of its own
}

// preInit is pre_jail_init: the server role, then the client role.
//
// preInitServer is pre_jail_init_server: the security level (over the legacy
// switches), the certificate checks and their warnings, and the server
// configuration, or none ("TLS server role is disabled").
func (p *proxy) preInit(s *libmaster.Server) error {
	p.preInitServer(s)
	p.preInitClient(s)
	return nil
}

func (p *proxy) preInitServer(s *libmaster.Server) {
	level := strings.ToLower(s.Str("tlsproxy_tls_security_level"))
	useTLS, enforce := s.Bool("tlsproxy_use_tls"), s.Bool("tlsproxy_enforce_tls")
	switch level {
	case "":
	case "secure", "verify", "fingerprint":
		s.Log.Warnf("tlsproxy_tls_security_level: unsupported TLS level \"%s\", using \"encrypt\"", s.Str("tlsproxy_tls_security_level"))
		useTLS, enforce = true, true
	case libtls.LevelEncrypt:
		useTLS, enforce = true, true
	case libtls.LevelMay:
		useTLS, enforce = true, false
	case libtls.LevelNone:
		useTLS, enforce = false, false
	default:
		s.Log.Fatalf("Invalid TLS level \"%s\"", s.Str("tlsproxy_tls_security_level"))
	}
	p.logLevel = logLevel(s.Str("tlsproxy_tls_loglevel"))
	useTLS = useTLS || enforce
	if !useTLS {
		s.Log.Warnf("TLS server role is disabled with tlsproxy_tls_security_level or tlsproxy_use_tls")
		return
	}
	askCert := s.Bool("tlsproxy_tls_ask_ccert")
	reqCert := s.Bool("tlsproxy_tls_req_ccert")
	requireServerCert := askCert || enforce && reqCert
	certFile, noCertOK := s.Str("tlsproxy_tls_cert_file"), false
	if strings.EqualFold(certFile, "none") {
		certFile, noCertOK = "", true
	}
	haveCert := certFile != "" || s.Str("tlsproxy_tls_dcert_file") != "" || s.Str("tlsproxy_tls_eccert_file") != ""
	chain := strings.Fields(strings.ReplaceAll(s.Str("tlsproxy_tls_chain_files"), ",", " "))
	if len(chain) > 0 {
		if haveCert {
			s.Log.Warnf("Both tlsproxy_tls_chain_files and one or more of the legacy  tlsproxy_tls_cert_file, tlsproxy_tls_eccert_file or tlsproxy_tls_dcert_file are non-empty; the legacy  parameters will be ignored")
		}
		haveCert = true
	}
	if !haveCert && requireServerCert {
		s.Log.Warnf("Need a server cert to request client certs")
	}
	if !enforce && reqCert {
		s.Log.Warnf("Can't require client certs unless TLS is required")
	}
	if !haveCert && !(noCertOK && !requireServerCert) {
		s.Log.Warnf("No server certs available. TLS can't be enabled")
		return
	}
	level = libtls.LevelMay
	if enforce {
		level = libtls.LevelEncrypt
	}
	params := libtls.ServerParams{Level: level, CertFile: certFile, KeyFile: s.Str("tlsproxy_tls_key_file"),
		ChainFiles: chain, CAFile: s.Str("tlsproxy_tls_CAfile"),
		Protocols: s.Str("tlsproxy_tls_protocols"), MandProtos: s.Str("tlsproxy_tls_mandatory_protocols"),
		AskClientCrt: askCert, ReqClientCrt: reqCert}
	if params.CertFile == "" && len(chain) == 0 {
		params.CertFile, params.KeyFile = s.Str("tlsproxy_tls_eccert_file"), s.Str("tlsproxy_tls_eckey_file")
	}
	srv, err := libtls.NewServer(params)
	if err != nil {
		if !errors.Is(err, libtls.ErrNoCerts) {
			s.Log.Warnf("%v", err)
		}
		s.Log.Warnf("TLS server initialization failed")
		return
	}
	p.server = srv
}

// logLevel reads a TLS log level: its leading number, 0 when none.
func logLevel(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// initTimeout bounds the steps before the handshake (TLSP_INIT_TIMEOUT).
const initTimeout = 100 * time.Second
