package libtls

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/fdpass"
)

// tlsproxy request flags (TLS_PROXY_FLAG_*).
const (
	proxyRoleClient  = 1 << 1
	proxySendContext = 1 << 2
)

// Certificate status bits of a TLS context (TLS_CERT_FLAG_*).
const (
	CertPresent = 1 << 0
	CertAltname = 1 << 1
	CertTrusted = 1 << 2
	CertMatched = 1 << 3
	CertSecured = 1 << 4
)

// ProxyRequest is what the SMTP client asks tlsproxy(8) for in the
// client role (tls_proxy_open with TLS_CLIENT_PARAMS,
// TLS_CLIENT_INIT_PROPS and TLS_CLIENT_START_PROPS): the main.cf TLS
// parameters, the per-process properties and the per-session ones, in
// the order of tls_proxy_client_print.c.
type ProxyRequest struct {
	Peer             string // "[addr]:port"
	HandshakeTimeout int
	SessionTimeout   int
	ServerID         string      // the service name, for tlsproxy's log
	Params           []attr.Attr // TLS_CLIENT_PARAMS, see ProxyParams
	Init             []attr.Attr // TLS_CLIENT_INIT_PROPS, see ProxyInit
	Start            ProxyStart
}

// ProxyParams are the main.cf parameters tlsproxy needs, by name, with
// the values of the client's configuration (param(name) must return
// them); the three numbers are yes/no or integer parameters.
func ProxyParams(param func(name string) string, number func(name string) int) []attr.Attr {
	out := []attr.Attr{attr.Str("config_file", param("tls_config_file")), attr.Str("config_name", param("tls_config_name"))}
	for _, n := range []string{"tls_high_cipherlist", "tls_medium_cipherlist", "tls_low_cipherlist",
		"tls_export_cipherlist", "tls_null_cipherlist", "tls_eecdh_auto_curves", "tls_eecdh_strong_curve",
		"tls_eecdh_ultra_curve", "tls_disable_workarounds", "tls_ssl_options", "tls_dane_digests",
		"tlsmgr_service_name", "tls_session_ticket_cipher"} {
		out = append(out, attr.Str(n, param(n)))
	}
	for _, n := range []string{"tls_daemon_random_bytes", "tls_append_default_CA",
		"tls_legacy_public_key_fingerprints", "tls_preempt_cipherlist", "tls_wildcard_matches_multiple_labels"} {
		out = append(out, attr.Int(n, number(n)))
	}
	return out
}

// ProxyInit are the TLS_CLIENT_INIT_PROPS: values by attribute name,
// "verifydepth" a number.
func ProxyInit(v map[string]string, verifyDepth int) []attr.Attr {
	out := []attr.Attr{attr.Str("log_param", v["log_param"]), attr.Str("log_level", v["log_level"]),
		attr.Int("verifydepth", verifyDepth)}
	for _, n := range []string{"cache_type", "chain_files", "cert_file", "key_file", "dcert_file", "dkey_file",
		"eccert_file", "eckey_file", "CAfile", "CApath", "mdalg"} {
		out = append(out, attr.Str(n, v[n]))
	}
	return out
}

// ProxyStart are the TLS_CLIENT_START_PROPS of one session.
type ProxyStart struct {
	Timeout                                   int
	Level                                     int
	Nexthop, Host, NamAddr, SNI, ServerID     string
	Helo, Protocols, Grade, Exclusions, MDAlg string
	Match                                     []string
	// DANE records and their base domain; Dane says whether a DANE
	// structure is sent at all (fingerprint and DANE levels).
	Dane       bool
	DaneDomain string
	TLSA       []TLSA
}

func (s ProxyStart) attrs() []attr.Attr {
	out := []attr.Attr{attr.Int("timeout", s.Timeout), attr.Int("tls_level", s.Level),
		attr.Str("nexthop", s.Nexthop), attr.Str("host", s.Host), attr.Str("namaddr", s.NamAddr),
		attr.Str("sni", s.SNI), attr.Str("serverid", s.ServerID), attr.Str("helo", s.Helo),
		attr.Str("protocols", s.Protocols), attr.Str("cipher_grade", s.Grade),
		attr.Str("cipher_exclusions", s.Exclusions), attr.Int("argv_size", len(s.Match))}
	for _, m := range s.Match {
		out = append(out, attr.Str("argv_value", m))
	}
	out = append(out, attr.Str("mdalg", s.MDAlg))
	if !s.Dane {
		return append(out, attr.Int("dane", 0))
	}
	out = append(out, attr.Int("dane", 1), attr.Str("domain", s.DaneDomain), attr.Int("count", len(s.TLSA)))
	for _, t := range s.TLSA {
		out = append(out, attr.Int("usage", int(t.Usage)), attr.Int("selector", int(t.Selector)),
			attr.Int("mtype", int(t.MType)), attr.Data("data", t.Data))
	}
	return out
}

// ProxyOpen asks the tlsproxy service at path to play the TLS client
// for the server connection fd (tls_proxy_open): it returns the
// plaintext connection to tlsproxy. The error is Postfix's warning.
func ProxyOpen(path, name string, fd int, req ProxyRequest, timeout time.Duration) (*attr.Conn, error) {
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return nil, fmt.Errorf("connect to %s service: %s", name, errnoText(err))
	}
	ac := attr.NewConn(c, attr.Format0, name, timeout)
	if err := ac.ReadAnnouncement("tlsproxy_protocol"); err != nil {
		c.Close()
		return nil, fmt.Errorf("error receiving %s service initial response", name)
	}
	send := append([]attr.Attr(nil), req.Params...)
	send = append(send, req.Init...)
	send = append(send, req.Start.attrs()...)
	err = ac.Print(attr.Str("remote_endpoint", req.Peer), attr.Int("flags", proxyRoleClient|proxySendContext),
		attr.Int("timeout", req.HandshakeTimeout), attr.Int("timeout", req.SessionTimeout),
		attr.Str("serverid", req.ServerID))
	if err == nil {
		err = ac.Print(send...)
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("error sending request to %s service: %s", name, errnoText(err))
	}
	var status int
	if n, err := ac.Scan(attr.Strict, attr.RecvInt("status", &status)); n != 1 || err != nil || status == 0 {
		c.Close()
		return nil, fmt.Errorf("%s service role \"client\" is not available", name)
	}
	// LOCAL_SEND_FD without the dummy-record handshake of scache.
	if err := fdpass.Send(c.(*net.UnixConn), fd); err != nil {
		c.Close()
		return nil, fmt.Errorf("sending file handle to %s service: %s", name, errnoText(err))
	}
	return ac, nil
}

// ProxyContext is the TLS state tlsproxy reports for a session
// (TLS_SESS_STATE as tls_proxy_context_print sends it).
type ProxyContext struct {
	PeerCN, IssuerCN, PeerCertFprint, PeerPkeyFprint string
	Level, PeerStatus                                int
	Protocol, Cipher                                 string
	UseBits, AlgBits                                 int
	KexName, KexCurve                                string
	KexBits                                          int
	ClntSigName, ClntSigCurve                        string
	ClntSigBits                                      int
	ClntSigDgst, SrvrSigName, SrvrSigCurve           string
	SrvrSigBits                                      int
	SrvrSigDgst, NamAddr                             string
}

// fields lists the context attributes in wire order; ints point at
// int fields, strs at string fields.
func (x *ProxyContext) fields() []struct {
	name string
	s    *string
	i    *int
} {
	type f = struct {
		name string
		s    *string
		i    *int
	}
	return []f{{"peer_CN", &x.PeerCN, nil}, {"issuer_CN", &x.IssuerCN, nil},
		{"peer_fingerprint", &x.PeerCertFprint, nil}, {"peer_pubkey_fingerprint", &x.PeerPkeyFprint, nil},
		{"level", nil, &x.Level}, {"peer_status", nil, &x.PeerStatus},
		{"cipher_protocol", &x.Protocol, nil}, {"cipher_name", &x.Cipher, nil},
		{"cipher_usebits", nil, &x.UseBits}, {"cipher_algbits", nil, &x.AlgBits},
		{"key_exchange", &x.KexName, nil}, {"key_exchange_curve", &x.KexCurve, nil}, {"key_exchange_bits", nil, &x.KexBits},
		{"clnt_signature", &x.ClntSigName, nil}, {"clnt_signature_curve", &x.ClntSigCurve, nil},
		{"clnt_signature_bits", nil, &x.ClntSigBits}, {"clnt_signature_digest", &x.ClntSigDgst, nil},
		{"srvr_signature", &x.SrvrSigName, nil}, {"srvr_signature_curve", &x.SrvrSigCurve, nil},
		{"srvr_signature_bits", nil, &x.SrvrSigBits}, {"srvr_signature_digest", &x.SrvrSigDgst, nil},
		{"namaddr", &x.NamAddr, nil}}
}

// ReceiveContext reads the TLS context tlsproxy sends before any data
// of the server (tls_proxy_context_receive). The returned reader holds
// what was read beyond it.
func ReceiveContext(ac *attr.Conn) (*ProxyContext, io.Reader, error) {
	x := &ProxyContext{}
	var targets []attr.Recv
	for _, f := range x.fields() {
		if f.s != nil {
			targets = append(targets, attr.RecvStr(f.name, f.s))
		} else {
			targets = append(targets, attr.RecvInt(f.name, f.i))
		}
	}
	if n, err := ac.Scan(attr.Strict, targets...); err != nil || n != len(targets) {
		return nil, nil, fmt.Errorf("no TLS context from tlsproxy: %v", err)
	}
	br := ac.BufReader()
	rest, _ := br.Peek(br.Buffered())
	return x, bytes.NewReader(append([]byte(nil), rest...)), nil
}

// Matched and Present are TLS_CERT_IS_MATCHED and TLS_CERT_IS_PRESENT.
func (x *ProxyContext) Matched() bool { return x.PeerStatus&CertMatched != 0 }

// Summary is tls_log_summary for a client session through tlsproxy:
// new, or reused from the connection cache.
func (x *ProxyContext) Summary(reused bool) string {
	usage := "established"
	if reused {
		usage = "reused"
	}
	kind := "Untrusted"
	switch {
	case x.PeerStatus&CertPresent == 0:
		kind = "Anonymous"
	case x.PeerStatus&CertSecured != 0:
		kind = "Verified"
	case x.PeerStatus&CertTrusted != 0:
		kind = "Trusted"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s TLS connection %s to %s: %s with cipher %s (%d/%d bits)",
		kind, usage, x.NamAddr, x.Protocol, x.Cipher, x.UseBits, x.AlgBits)
	part := func(label, name, curve string, bits int, dlabel, dgst string) {
		if name == "" {
			return
		}
		fmt.Fprintf(&b, " %s %s", label, name)
		if curve != "" {
			fmt.Fprintf(&b, " (%s)", curve)
		} else if bits > 0 {
			fmt.Fprintf(&b, " (%d bits)", bits)
		}
		if dgst != "" {
			fmt.Fprintf(&b, " %s %s", dlabel, dgst)
		}
	}
	part("key-exchange", x.KexName, x.KexCurve, x.KexBits, "", "")
	part("server-signature", x.SrvrSigName, x.SrvrSigCurve, x.SrvrSigBits, "server-digest", x.SrvrSigDgst)
	part("client-signature", x.ClntSigName, x.ClntSigCurve, x.ClntSigBits, "client-digest", x.ClntSigDgst)
	return b.String()
}

// Props is the context in attr_print_plain form ("name=value" lines),
// as smtp_session_passivate appends it to a cached session's endpoint
// properties.
func (x *ProxyContext) Props() string {
	var b strings.Builder
	for _, f := range x.fields() {
		if f.s != nil {
			fmt.Fprintf(&b, "%s=%s\n", f.name, *f.s)
		} else {
			fmt.Fprintf(&b, "%s=%d\n", f.name, *f.i)
		}
	}
	return b.String()
}

// ParseContextProps reads a context back from endpoint properties
// (smtp_session_activate); false when it is not there.
func ParseContextProps(props string) (*ProxyContext, bool) {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(props))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			m[k] = v
		}
	}
	x := &ProxyContext{}
	for _, f := range x.fields() {
		v, ok := m[f.name]
		if !ok {
			return nil, false
		}
		if f.s != nil {
			*f.s = v
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, false
		}
		*f.i = n
	}
	return x, true
}
