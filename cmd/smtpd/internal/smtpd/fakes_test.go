package smtpd

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// fakeParams is a Params over a map, for tests (mailconf replaces it in
// the program).
type fakeParams map[string]string

func (p fakeParams) Str(n string) string { return p[n] }
func (p fakeParams) Raw(n string) string { return p[n] }
func (p fakeParams) Bool(n string) bool  { return p[n] == "yes" }
func (p fakeParams) Int(n string) int    { v, _ := strconv.Atoi(p[n]); return v }
func (p fakeParams) Time(n string) time.Duration {
	v := p[n]
	unit := time.Second
	switch {
	case strings.HasSuffix(v, "s"):
		v = strings.TrimSuffix(v, "s")
	case strings.HasSuffix(v, "m"):
		v, unit = strings.TrimSuffix(v, "m"), time.Minute
	}
	n2, _ := strconv.Atoi(v)
	return time.Duration(n2) * unit
}

// List splits like Postfix lists: commas and white space, with {...}
// groups kept whole.
func (p fakeParams) List(n string) []string { return splitList(p[n]) }

func splitList(s string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{':
			depth++
			cur.WriteByte(c)
		case c == '}':
			depth--
			cur.WriteByte(c)
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n'):
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// baseParams are Postfix 3.7.11 defaults (postconf -d) for the parameters
// the engine reads, with compatibility_level = 3.6 expansions applied, plus
// the reference dialogues' config A.
func baseParams() fakeParams {
	return fakeParams{
		"myhostname": "mx.example.com", "mail_name": "Postfix",
		"smtpd_banner":      "mx.example.com ESMTP Postfix",
		"line_length_limit": "2048", "smtpd_timeout": "300s", "smtpd_error_sleep_time": "0s",
		"smtpd_soft_error_limit": "10", "smtpd_hard_error_limit": "20", "smtpd_junk_command_limit": "100",
		"smtpd_recipient_limit": "1000", "smtpd_recipient_overshoot_limit": "1000",
		"message_size_limit": "10240000", "smtpd_delay_reject": "yes", "smtputf8_enable": "yes",
		"smtpd_delay_open_until_valid_rcpt": "yes",
		"smtpd_forbidden_commands":          "CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}",
		"smtpd_forbid_bare_newline":         "no", "smtpd_forbid_bare_newline_reject_code": "550",
		"smtpd_forbid_bare_newline_exclusions": "127.0.0.0/8",
		"mynetworks":                           "127.0.0.0/8", "smtpd_upstream_proxy_timeout": "5s", "inet_protocols": "ipv4",
		"smtpd_relay_restrictions":                  "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination",
		"smtpd_relay_before_recipient_restrictions": "yes",
		"reject_code": "554", "defer_code": "450", "access_map_reject_code": "554", "access_map_defer_code": "450",
		"invalid_hostname_reject_code": "501", "non_fqdn_reject_code": "504", "unknown_hostname_reject_code": "450",
		"unknown_address_reject_code": "450", "relay_domains_reject_code": "554",
		"unknown_local_recipient_reject_code": "550", "unknown_helo_hostname_tempfail_action": "defer",
		"unknown_address_tempfail_action": "defer", "smtpd_null_access_lookup_key": "<>",
		"show_user_unknown_table_name": "yes", "smtpd_reject_unlisted_recipient": "yes",
		"smtpd_policy_service_timeout": "100s", "smtpd_policy_service_try_limit": "2",
		"smtpd_policy_service_retry_delay":    "1s",
		"smtpd_policy_service_default_action": "451 4.3.5 Server configuration problem",
		"parent_domain_matches_subdomains":    "debug_peer_list,fast_flush_domains,mynetworks,permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps",
	}
}

// fakeHostList matches CIDR patterns and literal addresses.
type fakeHostList []string

func (h fakeHostList) Match(name, addr string) (bool, error) {
	a, err := netip.ParseAddr(addr)
	for _, p := range h {
		if pfx, perr := netip.ParsePrefix(p); perr == nil && err == nil && pfx.Contains(a) {
			return true, nil
		}
		if p == addr {
			return true, nil
		}
	}
	return false, nil
}

// fakeTable serves inline:{...} and regexp:{{/re/ result}} tables.
type fakeTable struct {
	m  map[string]string
	re []struct {
		re  *regexp.Regexp
		val string
	}
}

func (t *fakeTable) Lookup(key string) (string, bool, error) {
	if v, ok := t.m[strings.ToLower(key)]; ok {
		return v, true, nil
	}
	for _, r := range t.re {
		if r.re.MatchString(key) {
			return r.val, true, nil
		}
	}
	return "", false, nil
}

func openFakeTable(spec string) (Table, error) {
	t := &fakeTable{m: map[string]string{}}
	switch {
	case strings.HasPrefix(spec, "inline:{") && strings.HasSuffix(spec, "}"):
		for _, e := range splitList(spec[len("inline:{") : len(spec)-1]) {
			e = strings.TrimSuffix(strings.TrimPrefix(e, "{"), "}")
			k, v, _ := strings.Cut(e, "=")
			t.m[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	case strings.HasPrefix(spec, "regexp:{{") && strings.HasSuffix(spec, "}}"):
		body := spec[len("regexp:{{") : len(spec)-2]
		end := strings.LastIndexByte(body, '/')
		re := regexp.MustCompile(body[1:end])
		t.re = append(t.re, struct {
			re  *regexp.Regexp
			val string
		}{re, strings.TrimSpace(body[end+1:])})
	default:
		return nil, fmt.Errorf("unsupported table %s", spec)
	}
	return t, nil
}

// fakeResolver knows mydestination; everything else is remote.
type fakeResolver struct{ local []string }

func (r fakeResolver) Resolve(sender, addr string) (Resolved, error) {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return Resolved{Transport: "local", Recipient: addr + "@mx.example.com", Flags: ClassLocal}, nil
	}
	domain := strings.ToLower(addr[i+1:])
	var flags ResolveFlags
	if strings.ContainsAny(addr[:i], "@%!") {
		flags |= ResolveRouted
	}
	for _, d := range r.local {
		if d == domain {
			return Resolved{Transport: "local", Recipient: addr, Flags: flags | ClassLocal}, nil
		}
	}
	return Resolved{Transport: "smtp", Recipient: addr, Flags: flags | ClassDefault}, nil
}

// tempfailDNS answers every query with a temporary failure, like the
// machine the reference dialogues were made on.
type tempfailDNS struct{}

func (tempfailDNS) Host(string) DNSResult              { return DNSTempFail }
func (tempfailDNS) MailDomain(string) DNSResult        { return DNSTempFail }
func (tempfailDNS) Addrs(string) (DNSResult, []string) { return DNSTempFail, nil }
func (tempfailDNS) Text(string) string                 { return "" }
func (tempfailDNS) Servers(string, bool) (DNSResult, []string, string) {
	return DNSTempFail, nil, "Host not found, try again"
}
func (tempfailDNS) HostAddrs(string) ([]string, string) {
	return nil, "Temporary failure in name resolution"
}

// fakeQueue hands out queue IDs and records what it was sent.
type fakeQueue struct {
	mu   sync.Mutex
	next int
	recs []string
}

type fakeMessage struct {
	q  *fakeQueue
	id string
}

func (q *fakeQueue) Open(flags int) (Message, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.next++
	id := fmt.Sprintf("%X", 0x9683D98A000+q.next)
	q.recs = append(q.recs, fmt.Sprintf("open %s flags=%d", id, flags))
	return &fakeMessage{q: q, id: id}, nil
}

func (m *fakeMessage) ID() string { return m.id }
func (m *fakeMessage) Record(typ byte, data string) error {
	m.q.mu.Lock()
	m.q.recs = append(m.q.recs, fmt.Sprintf("%c %s", typ, data))
	m.q.mu.Unlock()
	return nil
}
func (m *fakeMessage) Finish() (int, string) { return StatOK, "" }
func (m *fakeMessage) Abort()                {}

// fakePolicy answers like the reference dialogues' policy server: by
// recipient prefix.
func fakePolicy(endpoint string, timeout time.Duration) (net.Conn, error) {
	server, client := net.Pipe()
	go func() {
		defer server.Close()
		r := bufio.NewReader(server)
		rcpt := ""
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\n")
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "recipient="); ok {
				rcpt = v
			}
		}
		action := "DUNNO"
		switch {
		case strings.HasPrefix(rcpt, "pol-reject"):
			action = "REJECT policy says no"
		case strings.HasPrefix(rcpt, "pol-450"):
			action = "450 4.7.1 try again later"
		case strings.HasPrefix(rcpt, "pol-bogus"):
			action = "FROBNICATE now"
		}
		fmt.Fprintf(server, "action=%s\n\n", action)
	}()
	return client, nil
}

// newTestDeps builds the fakes around a log capture; address tables
// are real ones (inline, regexp, ...) from the maps layer.
func newTestDeps(capture *msg.Capture, local []string) *Deps {
	log := msg.New(capture)
	reg := maptypes.NewRegistry(log)
	return &Deps{
		Log:       log,
		OpenTable: openFakeTable,
		AddrMaps: func(title, specs string) (*maps.Maps, error) {
			return maps.Open(reg, title, specs, dict.FlagDefault, log)
		},
		AddrEnv: &maps.AddrEnv{Delim: "+", MyOrigin: "mx.example.com", IsLocal: func(d string) (bool, error) {
			for _, l := range local {
				if strings.EqualFold(l, d) {
					return true, nil
				}
			}
			return false, nil
		}},
		HostList: func(param string, patterns []string) (HostList, error) {
			return fakeHostList(patterns), nil
		},
		Resolver:   fakeResolver{local: local},
		DNS:        tempfailDNS{},
		Queue:      &fakeQueue{},
		DialPolicy: fakePolicy,
		Flush:      func(string) int { return FlushDeny },
		Sleep:      func(time.Duration) {},
		Pid:        4242,
	}
}

// SendMilters notes the handoff as a "SEND" line.
func (m *fakeMessage) SendMilters(Milters) error {
	m.q.mu.Lock()
	m.q.recs = append(m.q.recs, "SEND")
	m.q.mu.Unlock()
	return nil
}
