package libtls

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
)

// VerifyErrorLog is the line Postfix logs for a failed server
// certificate check (tls_log_verify_error), for an OpenSSL verification
// error code and text: a few errors have their own wording, the rest
// show the code; untrusted issuers are named as X509_NAME_oneline
// prints them.
func (cs *ClientSession) VerifyErrorLog(num int, text, namaddr string) string {
	chain := cs.Conn.ConnectionState().PeerCertificates
	switch num {
	case 27:
		return fmt.Sprintf("certificate verification failed for %s: not trusted by local or TLSA policy", namaddr)
	case 18:
		return fmt.Sprintf("certificate verification failed for %s: self-signed certificate", namaddr)
	case 19, 20:
		issuer := "<unknown>"
		if len(chain) > 0 {
			issuer = nameOneline(chain[len(chain)-1].RawIssuer)
		}
		return fmt.Sprintf("certificate verification failed for %s: untrusted issuer %s", namaddr, issuer)
	case 9:
		return fmt.Sprintf("server certificate verification failed for %s: certificate not yet valid", namaddr)
	case 10:
		return fmt.Sprintf("server certificate verification failed for %s: certificate has expired", namaddr)
	}
	return fmt.Sprintf("server certificate verification failed for %s: num=%d:%s", namaddr, num, text)
}

// shortNames are OpenSSL's short names of the usual attribute types.
var shortNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
	"2.5.4.5": "serialNumber", "2.5.4.9": "street", "2.5.4.17": "postalCode", "2.5.4.4": "SN",
	"2.5.4.42": "GN", "1.2.840.113549.1.9.1": "emailAddress", "0.9.2342.19200300.100.1.25": "DC",
}

// nameOneline formats a DER distinguished name as X509_NAME_oneline:
// "/TYPE=value" for each attribute, in encoding order.
func nameOneline(der []byte) string {
	var rdns pkix.RDNSequence
	if _, err := asn1.Unmarshal(der, &rdns); err != nil {
		return "<unknown>"
	}
	var b strings.Builder
	for _, rdn := range rdns {
		for _, atv := range rdn {
			name, ok := shortNames[atv.Type.String()]
			if !ok {
				name = atv.Type.String()
			}
			fmt.Fprintf(&b, "/%s=%v", name, atv.Value)
		}
	}
	return b.String()
}
