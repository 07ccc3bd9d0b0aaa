package smtpd

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopostfix/libtls"
)

// policyRequest is the attribute list sent to a policy server, in
// Postfix 3.7's order.
func (ss *Session) policyRequest(st stage) string {
	var b strings.Builder
	add := func(name, value string) { fmt.Fprintf(&b, "%s=%s\n", name, value) }
	state := ss.where
	switch state {
	case "BDAT", afterBDAT, afterData:
		state = "DATA"
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	rcptCount := 0
	if state == "DATA" || state == afterEOM {
		rcptCount = ss.rcptCount
	}
	size := ss.actSize
	if size <= 0 {
		size = ss.msgSize
	}
	add("request", "smtpd_access_policy")
	add("protocol_state", state)
	add("protocol_name", ss.protocol)
	add("client_address", ss.client.Addr)
	add("client_name", ss.client.Name)
	add("client_port", ss.client.Port)
	add("reverse_client_name", ss.client.ReverseName)
	add("server_address", ss.client.ServerAddr)
	add("server_port", ss.client.ServerPort)
	add("helo_name", ss.heloName)
	add("sender", str(ss.check.sender))
	add("recipient", str(ss.check.recipient))
	add("recipient_count", strconv.Itoa(rcptCount))
	add("queue_id", ss.queueID)
	add("instance", ss.instance)
	add("size", strconv.FormatInt(size, 10))
	add("etrn_domain", etrnDomain(state, st))
	add("stress", "")
	add("sasl_method", ss.saslMethod)
	add("sasl_username", ss.saslUser)
	add("sasl_sender", ss.saslSender)
	tlsAttrs(ss.tls, add)
	add("policy_context", ss.cfg.PolicyContext)
	b.WriteString("\n")
	return b.String()
}

func etrnDomain(state string, st stage) string {
	if state == "ETRN" {
		return st.name
	}
	return ""
}

// checkPolicy is check_policy_service: delegate the decision and act on
// the answer as on an access table result.
func (ss *Session) checkPolicy(endpoint string, st stage) int {
	action, ok := "", false
	if ss.deps.DialPolicy != nil {
		if ss.deps.Policy == nil {
			ss.deps.Policy = &PolicyClients{}
		}
		action, ok = ss.askPolicy(endpoint, ss.policyRequest(st))
		if ok && ss.cfg.SMTPUTF8 && !utf8.ValidString(action) {
			ok = false
		}
	}
	if !ok {
		action = ss.cfg.PolicyDefaultAction
	}
	return ss.accessResult(action, "policy query", st)
}

// tlsAttrs adds the TLS attributes of a policy request.
func tlsAttrs(in *libtls.Info, add func(name, value string)) {
	if in == nil {
		for _, n := range []string{"ccert_subject", "ccert_issuer", "ccert_fingerprint", "ccert_pubkey_fingerprint",
			"encryption_protocol", "encryption_cipher"} {
			add(n, "")
		}
		add("encryption_keysize", "0")
		return
	}
	add("ccert_subject", in.PeerCN)
	add("ccert_issuer", in.IssuerCN)
	add("ccert_fingerprint", "")
	add("ccert_pubkey_fingerprint", "")
	add("encryption_protocol", in.Protocol)
	add("encryption_cipher", in.Cipher)
	add("encryption_keysize", strconv.Itoa(in.Bits))
}
