package smtpd

import (
	"crypto/tls"
	"fmt"
	"time"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libtls"
)

// STARTTLS (smtpd.c starttls_cmd and smtpd_start_tls): the server side
// of RFC 3207 with libtls, the smtpd_tls_security_level "may" and
// "encrypt" behaviour, the new TLS session rate limit, and the session
// reset that follows a handshake.

// tlsOffered reports whether STARTTLS may be used now.
func (ss *Session) tlsOffered() bool {
	return ss.deps.TLS != nil && ss.tls == nil && !ss.StandAlone
}

// tlsEnforced reports whether commands other than the pre-TLS ones must
// wait for STARTTLS.
func (ss *Session) tlsEnforced() bool {
	return ss.deps.TLS != nil && ss.deps.TLS.Enforce && ss.tls == nil && !ss.StandAlone
}

func (ss *Session) starttlsCmd(argv []token) bool {
	if len(argv) != 1 {
		ss.fail(errProtocol, "501 5.5.4 Syntax: STARTTLS")
		return false
	}
	if r := ss.milterOther(); r != "" {
		if r[0] == '4' {
			// Sendmail's behaviour: any temporary failure is a 454.
			r = "454 4.3.0 Try again later"
		}
		ss.reply(r)
		return false
	}
	switch {
	case ss.tls != nil:
		ss.fail(errProtocol, "554 5.5.1 Error: TLS already active")
		return false
	case ss.deps.TLS == nil || ss.StandAlone || ss.discardMask&ehlomask.StartTLS != 0:
		ss.fail(errProtocol, "502 5.5.1 Error: command not implemented")
		return false
	}
	if ss.cfg.NewTLSRateLimit > 0 && ss.anvilApplies() && ss.deps.Anvil != nil {
		if rate, err := ss.deps.Anvil.NewTLS(ss.Service, ss.client.Addr); err == nil && rate > ss.cfg.NewTLSRateLimit {
			ss.log.Warnf("New TLS session rate limit exceeded: %d from %s for service %s", rate, ss.namaddr, ss.Service)
			ss.failf(errPolicy, "454 4.7.0 Error: too many new TLS sessions from %s", ss.namaddr)
			return false
		}
	}
	ss.reply("220 2.0.0 Ready to start TLS")
	if err := ss.s.flush(); err != nil {
		panic(ioAbort(err))
	}
	ss.milterHeloReset()
	ss.heloName = ""
	ss.mailReset()
	ss.startTLS()
	return true
}

// startTLS runs the handshake on the connection and switches the stream
// to it. Input the client sent ahead of the handshake is discarded, so
// that nothing from before encryption is taken as a command.
func (ss *Session) startTLS() {
	plain := ss.s.conn
	tc := tls.Server(plain, ss.deps.TLS.Config)
	if ss.cfg.TLSHandshakeTimeout > 0 {
		_ = plain.SetDeadline(ss.deps.Now().Add(ss.cfg.TLSHandshakeTimeout))
	}
	ss.s.r.Reset(flushReader{ss.s})
	if err := tc.Handshake(); err != nil {
		ss.log.Warnf("TLS library problem: %v", err)
		ss.log.Infof("SSL_accept error from %s: -1", ss.namaddr)
		ss.reason = "lost connection"
		panic(abortQuiet)
	}
	_ = plain.SetDeadline(time.Time{})
	ss.s.conn = tc
	ss.s.r.Reset(flushReader{ss.s})
	ss.s.w.Reset(tc)
	st := tc.ConnectionState()
	var own *tls.Certificate
	if len(ss.deps.TLS.Config.Certificates) > 0 {
		own = &ss.deps.TLS.Config.Certificates[0]
	}
	info := libtls.Describe(st, own)
	ss.tls = &info
	if ss.cfg.TLSLogLevel >= 1 {
		ss.log.Infof("%s", info.Summary(ss.namaddr))
	}
}

// tlsReceived is the TLS comment of our Received: header
// (smtpd_tls_received_header).
func (ss *Session) tlsReceived() []string {
	if ss.tls == nil || !ss.cfg.TLSReceivedHeader {
		return nil
	}
	// The key exchange and our signature continue the "using" comment
	// on a line of their own, as in the TLS summary log line.
	var out []string
	cur := fmt.Sprintf("\t(using %s with cipher %s (%d/%d bits)", ss.tls.Protocol, ss.tls.Cipher, ss.tls.Bits, ss.tls.AlgBits)
	if ss.tls.KeyExch != "" {
		out = append(out, cur)
		cur = "\t key-exchange " + ss.tls.KeyExch
	}
	if ss.tls.ServerSig != "" {
		if ss.tls.KeyExch == "" {
			out = append(out, cur)
			cur = "\t"
		}
		cur += " server-signature " + ss.tls.ServerSig + " server-digest SHA256"
	}
	out = append(out, cur+")")
	switch {
	case ss.tls.PeerCN != "" && ss.tls.Verified:
		out = append(out, fmt.Sprintf("\t(Client CN \"%s\", Issuer \"%s\" (verified OK))", ss.tls.PeerCN, ss.tls.IssuerCN))
	case ss.tls.PeerCN != "":
		out = append(out, fmt.Sprintf("\t(Client CN \"%s\", Issuer \"%s\" (not verified))", ss.tls.PeerCN, ss.tls.IssuerCN))
	case ss.cfg.TLSAskCCert:
		out = append(out, "\t(Client did not present a certificate)")
	default:
		out = append(out, "\t(No client certificate requested)")
	}
	return out
}
