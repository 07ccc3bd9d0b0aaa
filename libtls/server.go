package libtls

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Security levels (smtpd_tls_security_level).
const (
	LevelNone    = "none"
	LevelMay     = "may"
	LevelEncrypt = "encrypt"
)

// ServerParams are the smtpd_tls_* settings a server needs.
type ServerParams struct {
	Level        string   // none, may or encrypt (after the legacy switches)
	CertFile     string   // smtpd_tls_cert_file
	KeyFile      string   // smtpd_tls_key_file
	ChainFiles   []string // smtpd_tls_chain_files: key then certificates, per file
	CAFile       string   // smtpd_tls_CAfile: client certificate trust
	Protocols    string   // smtpd_tls_protocols (opportunistic)
	MandProtos   string   // smtpd_tls_mandatory_protocols (encrypt)
	AskClientCrt bool     // smtpd_tls_ask_ccert
	ReqClientCrt bool     // smtpd_tls_req_ccert (encrypt only)
}

// ErrNoCerts says that no server certificate is configured.
var ErrNoCerts = errors.New("no server certificate configured")

// Server is a TLS server configuration ready for handshakes.
type Server struct {
	Config  *tls.Config
	Level   string
	Enforce bool // encrypt: commands need STARTTLS first
}

// LevelFrom applies Postfix's precedence of smtpd_tls_security_level
// over the obsolete smtpd_use_tls and smtpd_enforce_tls switches; warn
// receives the warnings Postfix logs for unknown or unsupported levels.
func LevelFrom(level string, useTLS, enforceTLS bool, warn func(string)) string {
	switch strings.ToLower(level) {
	case "":
	case LevelNone, LevelMay, LevelEncrypt:
		return strings.ToLower(level)
	case "verify", "secure", "fingerprint", "dane", "dane-only":
		warn(fmt.Sprintf("smtpd_tls_security_level: unsupported TLS level \"%s\", using \"encrypt\"", level))
		return LevelEncrypt
	default:
		warn(fmt.Sprintf("smtpd_tls_security_level: ignoring unknown TLS level \"%s\"", level))
	}
	switch {
	case enforceTLS:
		return LevelEncrypt
	case useTLS:
		return LevelMay
	}
	return LevelNone
}

// NewServer loads the certificates and builds the configuration. A
// level of "none" gives a nil Server.
func NewServer(p ServerParams) (*Server, error) {
	if p.Level == LevelNone || p.Level == "" {
		return nil, nil
	}
	var certs []tls.Certificate
	switch {
	case len(p.ChainFiles) > 0:
		for _, f := range p.ChainFiles {
			c, err := tls.LoadX509KeyPair(f, f)
			if err != nil {
				return nil, fmt.Errorf("cannot load certificate chain file %s: %v", f, err)
			}
			certs = append(certs, c)
		}
	case p.CertFile != "" && !strings.EqualFold(p.CertFile, "none"):
		key := p.KeyFile
		if key == "" {
			key = p.CertFile
		}
		c, err := tls.LoadX509KeyPair(p.CertFile, key)
		if err != nil {
			return nil, fmt.Errorf("cannot load certificate or key from %s, %s: %v", p.CertFile, key, err)
		}
		certs = append(certs, c)
	default:
		return nil, ErrNoCerts
	}
	protos := p.Protocols
	if p.Level == LevelEncrypt && p.MandProtos != "" {
		protos = p.MandProtos
	}
	lo, hi, err := ProtocolRange(protos)
	if err != nil {
		return nil, err
	}
	// The key exchanges of OpenSSL 3.0, which the real Postfix 3.7 uses:
	// no post-quantum hybrid, so that the sessions (and their log lines)
	// are the same.
	cfg := &tls.Config{Certificates: certs, MinVersion: lo, MaxVersion: hi,
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}}
	if p.AskClientCrt || (p.Level == LevelEncrypt && p.ReqClientCrt) {
		cfg.ClientAuth = tls.RequestClientCert
		if p.Level == LevelEncrypt && p.ReqClientCrt {
			cfg.ClientAuth = tls.RequireAnyClientCert
		}
		if p.CAFile != "" {
			pem, err := os.ReadFile(p.CAFile)
			if err != nil {
				return nil, fmt.Errorf("cannot load CA file %s: %v", p.CAFile, err)
			}
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(pem)
			cfg.ClientCAs = pool
		}
	}
	return &Server{Config: cfg, Level: p.Level, Enforce: p.Level == LevelEncrypt}, nil
}

// versions maps Postfix protocol names to Go's.
var versions = []struct {
	name string
	v    uint16
}{
	{"SSLv2", 0}, {"SSLv3", 0x0300}, {"TLSv1", tls.VersionTLS10}, {"TLSv1.1", tls.VersionTLS11},
	{"TLSv1.2", tls.VersionTLS12}, {"TLSv1.3", tls.VersionTLS13},
}

// ProtocolRange turns a Postfix protocol list (">=TLSv1.2", "<=TLSv1.2",
// "!SSLv2, !SSLv3", "TLSv1.2 TLSv1.3") into Go's version bounds. Go has
// no version below TLS 1.0 and no way to leave a hole in the range: the
// result spans the lowest to the highest version left enabled.
func ProtocolRange(spec string) (lo, hi uint16, err error) {
	enabled := map[uint16]bool{}
	for _, v := range versions {
		enabled[v.v] = v.v >= tls.VersionTLS10
	}
	lookup := func(name string) (uint16, error) {
		for _, v := range versions {
			if strings.EqualFold(v.name, name) {
				return v.v, nil
			}
		}
		return 0, fmt.Errorf("invalid TLS protocol name: %s", name)
	}
	var only []uint16
	for _, w := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == ':' || r == '\t' }) {
		op := ""
		for _, p := range []string{">=", "<=", "!"} {
			if strings.HasPrefix(w, p) {
				op, w = p, w[len(p):]
				break
			}
		}
		v, err := lookup(w)
		if err != nil {
			return 0, 0, err
		}
		for k := range enabled {
			switch {
			case op == ">=" && k < v, op == "<=" && k > v, op == "!" && k == v:
				enabled[k] = false
			}
		}
		if op == "" {
			only = append(only, v)
		}
	}
	if len(only) > 0 {
		for k := range enabled {
			enabled[k] = enabled[k] && slices.Contains(only, k)
		}
	}
	lo, hi = 0xffff, 0
	for k, on := range enabled {
		if on {
			lo, hi = min(lo, k), max(hi, k)
		}
	}
	if hi == 0 {
		return 0, 0, fmt.Errorf("no TLS protocol version left in \"%s\"", spec)
	}
	return lo, hi, nil
}
