package dns

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	mdns "github.com/miekg/dns"
)

// TypeTLSA is the DANE TLSA record type (RFC 6698).
const TypeTLSA = mdns.TypeTLSA

// XStatus is a lookup result in the classes of Postfix's dns_lookup(3),
// which the SMTP client turns into delivery status codes. The numeric
// order is Postfix's: a larger value is a "better" outcome when the
// results of several record types are combined.
type XStatus int

const (
	XNotFound XStatus = -6 // the name or records of the type do not exist
	XNullMX   XStatus = -5 // the domain's MX is "0 ." (RFC 7505)
	XFail     XStatus = -4 // hard failure: FORMERR, REFUSED, NOTIMP
	XInval    XStatus = -3 // malformed reply
	XRetry    XStatus = -2 // temporary failure: SERVFAIL, time-out
	XPolicy   XStatus = -1 // every record dropped by a reply filter
	XOK       XStatus = 0
)

// XResult is the outcome of LookupX: the status, the records (with the
// name that was asked for, after CNAME expansion), the explanation Postfix
// puts in its delivery status, and whether every answer on the way was
// DNSSEC-validated (AD bit).
type XResult struct {
	Status  XStatus
	Records []Record
	Why     string
	AD      bool
}

// typeName is dns_strtype.
func typeName(t uint16) string {
	if s, ok := mdns.TypeToString[t]; ok {
		return s
	}
	return fmt.Sprintf("Unknown type %d", t)
}

// resolver error texts (dns_strerror); "errno" values are h_errno's.
const (
	hostNotFound = "Host not found"
	tryAgain     = "Host not found, try again"
	noRecovery   = "Non-recoverable error"
	noData       = "Host found but no data record of requested type"
)

// LookupX looks up records of one type the way Postfix's dns_lookup does
// (res_query semantics, CNAME chains followed up to ten times). With
// dnssec the query asks for DNSSEC (DO bit) and AD reports validation.
func (r *Resolver) LookupX(name string, qtype uint16, dnssec bool) XResult {
	return r.lookupX(name, qtype, dnssec, false, nil)
}

// RRFilter is a DNS reply filter (smtp_dns_reply_filter): it sees each
// record of a successful answer in dns_strrecord(3) form,
// "name. ttl IN TYPE data", and says whether to drop it; an error (a
// table that cannot be searched, an unknown action) fails the lookup.
type RRFilter func(record string) (drop bool, err error)

// LookupXF is LookupX with a reply filter (dns_rr_filter_execute): a
// filter error makes the lookup fail temporarily ("Invalid DNS reply
// filter syntax"), and an answer whose records are all dropped is a
// policy failure (XPolicy, "DNS reply filter drops all results").
func (r *Resolver) LookupXF(name string, qtype uint16, dnssec bool, filter RRFilter) XResult {
	return r.lookupX(name, qtype, dnssec, false, filter)
}

// LookupNCache is LookupX with Postfix's DNS_REQ_FLAG_NCACHE_TTL, as
// dnsblog asks: when the name or its records do not exist, Records holds
// the SOA records of the reply's authority section, whose TTL says how
// long the negative answer stays valid (RFC 2308).
func (r *Resolver) LookupNCache(name string, qtype uint16) XResult {
	return r.lookupX(name, qtype, false, true, nil)
}

func (r *Resolver) lookupX(name string, qtype uint16, dnssec, ncache bool, filter RRFilter) XResult {
	if _, err := netip.ParseAddr(strings.Trim(name, "[]")); name != "." && (err == nil || !ValidHostname(name)) {
		return XResult{Status: XNotFound, Why: fmt.Sprintf("Name service error for %s: invalid host or domain name", name)}
	}
	ad := true
	for count := 0; count < 10; count++ {
		q := new(mdns.Msg)
		q.SetQuestion(mdns.Fqdn(name), qtype)
		q.RecursionDesired = true
		if dnssec {
			q.SetEdns0(4096, true)
			q.AuthenticatedData = true
		}
		resp, err := r.query(q)
		herr := ""
		status := XOK
		switch {
		case err != nil || resp.Rcode == mdns.RcodeServerFailure:
			herr, status = tryAgain, XRetry
		case resp.Rcode == mdns.RcodeNameError:
			herr, status = hostNotFound, XNotFound
		case resp.Rcode != mdns.RcodeSuccess:
			herr, status = noRecovery, XFail
		case len(resp.Answer) == 0:
			herr, status = noData, XNotFound
		}
		if herr != "" {
			var soa []Record
			if ncache && status == XNotFound && resp != nil {
				soa = authoritySOA(resp)
			}
			return XResult{Status: status, Records: soa, Why: fmt.Sprintf("Host or domain name not found. "+
				"Name service error for name=%s type=%s: %s", name, typeName(qtype), herr)}
		}
		ad = ad && resp.AuthenticatedData
		recs, texts, cname, nullMX := answerRecords(resp, qtype)
		switch {
		case nullMX:
			return XResult{Status: XNullMX, Why: fmt.Sprintf("Domain %s does not accept mail (nullMX)", name)}
		case len(recs) > 0 && filter != nil:
			return filterRecords(name, qtype, recs, texts, ad, filter)
		case len(recs) > 0:
			return XResult{Status: XOK, Records: recs, AD: ad}
		case cname != "":
			name = cname
			continue
		}
		return XResult{Status: XNotFound, Why: fmt.Sprintf("Name service error for name=%s type=%s: "+
			"Malformed or unexpected name server reply", name, typeName(qtype))}
	}
	return XResult{Status: XNotFound, Why: "Name server loop for " + name}
}

// filterRecords applies a reply filter to the records of an answer.
func filterRecords(name string, qtype uint16, recs []Record, texts []string, ad bool, filter RRFilter) XResult {
	var kept []Record
	for i, rec := range recs {
		drop, err := filter(texts[i])
		if err != nil {
			return XResult{Status: XRetry, Why: fmt.Sprintf("Error looking up name=%s type=%s: "+
				"Invalid DNS reply filter syntax", name, typeName(qtype))}
		}
		if !drop {
			kept = append(kept, rec)
		}
	}
	if len(kept) == 0 {
		return XResult{Status: XPolicy, Why: fmt.Sprintf("Error looking up name=%s type=%s: "+
			"DNS reply filter drops all results", name, typeName(qtype))}
	}
	return XResult{Status: XOK, Records: kept, AD: ad}
}

// LookupXV looks up several record types and returns their records
// together (dns_lookup_v): the status is the best one seen, with the
// explanation of that lookup.
func (r *Resolver) LookupXV(name string, dnssec bool, qtypes ...uint16) XResult {
	return r.LookupXVF(name, dnssec, nil, qtypes...)
}

// LookupXVF is LookupXV with a reply filter applied to each lookup.
func (r *Resolver) LookupXVF(name string, dnssec bool, filter RRFilter, qtypes ...uint16) XResult {
	var out XResult
	best := XResult{Status: XNotFound - 100}
	for i, t := range qtypes {
		res := r.LookupXF(name, t, dnssec, filter)
		out.Records = append(out.Records, res.Records...)
		out.Status, out.Why, out.AD = res.Status, res.Why, res.AD
		if i == len(qtypes)-1 {
			break
		}
		if res.Status >= best.Status {
			best = res
		}
	}
	if out.Status < best.Status {
		out.Status, out.Why, out.AD = best.Status, best.Why, best.AD
	}
	return out
}

// authoritySOA returns the SOA records of a negative reply's authority
// section, with their TTLs.
func authoritySOA(resp *mdns.Msg) []Record {
	var recs []Record
	for _, rr := range resp.Ns {
		if soa, ok := rr.(*mdns.SOA); ok {
			recs = append(recs, Record{Type: mdns.TypeSOA, Data: strings.TrimSuffix(soa.Ns, "."), TTL: soa.Hdr.Ttl})
		}
	}
	return recs
}

// answerRecords extracts the records of qtype, in answer order, with
// their dns_strrecord forms; cname is the alias target when the answer
// holds only a CNAME.
func answerRecords(resp *mdns.Msg, qtype uint16) (recs []Record, texts []string, cname string, nullMX bool) {
	for _, rr := range resp.Answer {
		h := rr.Header()
		if c, ok := rr.(*mdns.CNAME); ok && h.Rrtype != qtype {
			cname = strings.TrimSuffix(c.Target, ".")
			continue
		}
		if h.Rrtype != qtype {
			continue
		}
		if mx, ok := rr.(*mdns.MX); ok && (mx.Mx == "." || mx.Mx == "") {
			if mx.Preference == 0 && len(resp.Answer) == 1 {
				return nil, nil, "", true
			}
			continue
		}
		rec := Record{Type: h.Rrtype, TTL: h.Ttl}
		switch v := rr.(type) {
		case *mdns.A:
			rec.Data = v.A.String()
		case *mdns.AAAA:
			rec.Data = v.AAAA.String()
		case *mdns.MX:
			rec.Pref = v.Preference
			rec.Data = strings.TrimSuffix(v.Mx, ".")
		case *mdns.TLSA:
			rec.Data = fmt.Sprintf("%d %d %d %s", v.Usage, v.Selector, v.MatchingType, v.Certificate)
		default:
			rec.Data = strings.TrimPrefix(rr.String(), h.String())
		}
		recs = append(recs, rec)
		texts = append(texts, strRecord(rr, rec))
	}
	if len(recs) > 0 {
		cname = ""
	}
	return recs, texts, cname, false
}

// strRecord is dns_strrecord: "name. ttl IN TYPE data".
func strRecord(rr mdns.RR, rec Record) string {
	h := rr.Header()
	prefix := fmt.Sprintf("%s %d IN %s ", mdns.Fqdn(h.Name), h.Ttl, typeName(h.Rrtype))
	switch v := rr.(type) {
	case *mdns.MX:
		return prefix + fmt.Sprintf("%d %s", v.Preference, mdns.Fqdn(v.Mx))
	case *mdns.TLSA:
		// dns_strrecord falls through from TLSA into the SOA case: the
		// first 20 bytes of the record data follow as five (little
		// endian) 32-bit numbers.
		data, _ := hex.DecodeString(v.Certificate)
		raw := append([]byte{v.Usage, v.Selector, v.MatchingType}, data...)
		raw = append(raw, make([]byte, 20)...)
		soa := ""
		for i := 0; i < 5; i++ {
			soa += fmt.Sprintf(" %d", binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return prefix + fmt.Sprintf("%d %d %d %s- -%s", v.Usage, v.Selector, v.MatchingType, strings.ToLower(v.Certificate), soa)
	case *mdns.NS:
		return prefix + mdns.Fqdn(v.Ns)
	case *mdns.PTR:
		return prefix + mdns.Fqdn(v.Ptr)
	case *mdns.CNAME:
		return prefix + mdns.Fqdn(v.Target)
	case *mdns.TXT:
		return prefix + strings.Join(v.Txt, "")
	}
	return prefix + rec.Data
}

// query sends q to each server in turn (each up to Retries times), with
// a TCP retry on truncation, as res_query does: SERVFAIL and REFUSED make
// it try the next server, and when all fail the last answer is returned.
func (r *Resolver) query(q *mdns.Msg) (*mdns.Msg, error) {
	udp := &mdns.Client{Net: "udp", Timeout: r.Timeout}
	tcp := &mdns.Client{Net: "tcp", Timeout: r.Timeout}
	var last *mdns.Msg
	var lastErr error = fmt.Errorf("no name servers")
	tries := max(r.Retries, 1)
	for try := 0; try < tries; try++ {
		for _, srv := range r.Servers {
			resp, _, err := udp.Exchange(q, srv)
			if err == nil && resp.Truncated {
				resp, _, err = tcp.Exchange(q, srv)
			}
			if err != nil {
				lastErr = err
				continue
			}
			if resp.Rcode == mdns.RcodeServerFailure || resp.Rcode == mdns.RcodeRefused {
				last = resp
				continue
			}
			return resp, nil
		}
	}
	if last != nil {
		return last, nil
	}
	return nil, lastErr
}

// ValidHostname is valid_hostname(name, DO_WILDCARD) without warnings:
// labels of letters, digits, '-' and '_' (and a '*' label), no empty
// label, not all-numeric, at most 255 bytes and 63 per label.
func ValidHostname(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	allNum := true
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_', c == '*':
				allNum = false
			default:
				return false
			}
		}
	}
	return !allNum
}

// TypeByName is dns_type: the record type of a name such as "ns" or
// "MX" (any case), 0 when unknown.
func TypeByName(name string) uint16 {
	return mdns.StringToType[strings.ToUpper(name)]
}
