package smtpd

import (
	"fmt"
	"strings"
)

// A profile is one pair of smtpd services in the differential instance:
// the real smtpd on port base+2i and ours on base+2i+1, with the same
// master.cf -o overrides over the same main.cf.
type profile struct {
	name string
	opts []string // name=value, values without white space
}

const profileBasePort = 23200

// diffMainCF is added to baseMainCF: the settings every profile shares
// and the named values the profiles' -o overrides refer to.
const diffMainCF = `relay_domains = relay.example
virtual_mailbox_domains = vmail.example
smtpd_restriction_classes = unkhelo, unksender, rejclass, okclass
unkhelo = reject_unknown_helo_hostname
unksender = reject_unknown_sender_domain
rejclass = reject
okclass = permit
b_lrm = inline:{user=1, u=1, v=1, pol-reject=1, pol-450=1, pol-bogus=1, warnme=1, pfxtest=1}
b_helo = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname, check_helo_access inline:{unknown.invalid=unkhelo}
b_sender = reject_non_fqdn_sender, check_sender_access inline:{spam@bad.example=REJECT, {bad.example=550 5.7.0 Go away}, hold.example=HOLD, defer.example=DEFER_IF_PERMIT, disc.example=DISCARD, nonexistent.invalid=unksender}
b_rcpt = reject_non_fqdn_recipient, warn_if_reject check_recipient_access inline:{warnme@example.com=REJECT}, check_policy_service inet:127.0.0.1:23099, reject_unauth_pipelining
b_relay = permit_mynetworks, reject_unauth_destination
d_client = check_client_access inline:{192.0.2.50=REJECT}
g_client = check_client_access cidr:@ROOT@/etc/client.cidr
g_helo = check_helo_access pcre:@ROOT@/etc/helo.pcre
g_sender = check_sender_access hash:@ROOT@/etc/sender
g_rcpt = check_recipient_access regexp:@ROOT@/etc/rcpt.regexp, permit_mynetworks, reject_unauth_destination
g_data = reject_unauth_pipelining, permit
g_etrn = check_etrn_access inline:{bad.example=REJECT}, permit
h_sender = reject_non_fqdn_sender, permit
h_helo = reject_non_fqdn_helo_hostname, reject_invalid_helo_hostname
r_relay = permit_mynetworks, reject_unauth_destination
s_discard = 8bitmime, size, vrfy, etrn, pipelining, enhancedstatuscodes
u_relay = permit_sasl_authenticated, reject_unauth_destination
v_rcpt = reject_unverified_recipient, permit_mynetworks, reject_unauth_destination
v_sender = reject_unverified_sender
v_rcpt2 = reject_unverified_sender, reject_unverified_recipient
v_warn = warn_if_reject reject_unverified_recipient, permit_mynetworks, reject_unauth_destination
v_reason = Recipient address lookup failed
ft_rcpt = permit_mynetworks, reject_unauth_destination
fm_maps = pcre:@ROOT@/etc/footer.pcre
ro_opts = no_unknown_recipient_checks, no_address_mappings
lm_maps = inline:{alice@auth.example=test, {bob@auth.example=other, test}, @known.example=test, owned@example.org=nobody}
lm_sender = check_sender_access inline:{auth.example=lm_all, known.example=lm_known, {example.org=lm_auth}, unauth.example=lm_unauth}
lm_all = reject_sender_login_mismatch
lm_known = reject_known_sender_login_mismatch
lm_auth = reject_authenticated_sender_login_mismatch
lm_unauth = reject_unauthenticated_sender_login_mismatch
rd_valias = inline:{alias@example.com=user}
rd_vmbox = inline:{box@vmail.example=1}
rd_relay = inline:{known@relay.example=1}
rd_rcpt = check_recipient_access inline:{{denied@example.com=REJECT extension stripped}, {deny.example=REJECT domain match}, {ext@=REJECT localpart match}}, permit_mynetworks, reject_unauth_destination
rd_sender = check_sender_access inline:{{blocked@example.org=REJECT sender blocked}}
n_client = check_client_mx_access $n_table, check_client_a_access $n_table, check_reverse_client_hostname_ns_access $n_table
n_helo = check_helo_mx_access $n_table, check_helo_ns_access $n_table, check_helo_a_access $n_table
n_sender = check_sender_mx_access $n_table, check_sender_ns_access $n_table, check_sender_a_access $n_table
n_rcpt = check_recipient_mx_access $n_table, check_recipient_ns_access $n_table, permit_mynetworks, reject_unauth_destination
x_client = check_client_access cidr:@ROOT@/etc/client.cidr, reject_unknown_client_hostname, reject_unknown_reverse_client_hostname
x_hosts = 0.0.0.0/0, [::]/0
t_classes = t_missing, t_bogus, t_ok, t_badcidr
t_badcidr = check_client_access cidr:@ROOT@/etc/bad.cidr
t_missing = check_client_access hash:@ROOT@/etc/missing
t_bogus = check_helo_access bogus:@ROOT@/etc/bogus
t_ok = permit
t_rcpt = check_sender_access inline:{{miss@example.org=t_missing}, {bogus@example.org=t_bogus}, {ok@example.org=t_ok}, {badcidr@example.org=t_badcidr}}, permit_mynetworks, check_recipient_access hash:@ROOT@/etc/missing_rcpt, reject_unauth_destination
n_table = inline:{{badmx.example=REJECT bad mail server}, {192.0.2.66=REJECT listed address}, {okns.example=OK}, {warnns.example=WARN name server warning}, {10.0.0.9=DUNNO}, {discns.example=DISCARD}}
`

// profileFiles are the lookup tables of profile G.
var profileFiles = map[string]string{
	"client.cidr": "127.0.0.7/32 REJECT cidr says no\n127.0.0.8/32 450 4.7.1 come back later\n127.0.0.9/32 okclass\n",
	"helo.pcre": "/^bad\\.helo$/ REJECT bad helo\n/^warn\\.helo$/ WARN helo warning\n/^hold\\.helo$/ HOLD\n" +
		"/^class\\.helo$/ rejclass\n/^defer\\.helo$/ DEFER helo deferred\n/^dunno\\.helo$/ DUNNO\n",
	"sender": "bad@sender.example REJECT\nsender.example 553 5.7.1 sender domain refused\nok@deny.example OK\n" +
		"deny.example REJECT\nfilter@example.org FILTER discard:filtered\nredirect@example.org REDIRECT pfxtest@mx.example.com\n" +
		"prepend@example.org PREPEND X-Test: prepended\ndiscard@example.org DISCARD\nwarn@example.org WARN sender warning\n" +
		"defer@example.org DEFER_IF_REJECT later\nuser@ REJECT local part rule\n<> 550 5.7.1 null sender refused here\n",
	"rcpt.regexp": "/^blocked@/ REJECT blocked recipient\n/^tempfail@/ 451 4.3.2 try later\n/^relayok@elsewhere\\.example$/ OK\n" +
		"/^bogus@/ BOGUSACTION\n/^class@/ rejclass\n",
	"bad.cidr": "127.0.0.1/33 REJECT bad mask\n127.0.0.0/8 REJECT loopback refused\nnot-a-network OK\n",
	"footer.pcre": "/^554 5\\.7\\.1 .*Relay access denied/ Relaying needs authentication\\nSee https://relay.example/$$client_address\n" +
		"/^550 / \\c (user table $${recipient_name} at $$recipient_domain)\n/^503 / $$bogus_macro here\n",
}

var profiles = []profile{
	{"A", nil},
	{"B", []string{"mynetworks=192.0.2.0/24", "smtpd_forbid_bare_newline_exclusions=192.0.2.0/24",
		"local_recipient_maps=$b_lrm", "smtpd_helo_restrictions=$b_helo", "smtpd_sender_restrictions=$b_sender",
		"smtpd_recipient_restrictions=$b_rcpt", "smtpd_relay_restrictions=$b_relay"}},
	{"C", []string{"mynetworks=192.0.2.0/24", "local_recipient_maps=$b_lrm", "smtpd_helo_restrictions=$b_helo",
		"smtpd_sender_restrictions=$b_sender", "smtpd_recipient_restrictions=$b_rcpt", "smtpd_relay_restrictions=$b_relay",
		"smtpd_forbid_bare_newline=reject", "smtpd_forbid_bare_newline_exclusions=", "smtpd_discard_ehlo_keywords=dsn,chunking",
		"smtpd_authorized_xclient_hosts=127.0.0.1", "smtpd_authorized_xforward_hosts=127.0.0.1"}},
	{"D", []string{"mynetworks=192.0.2.0/24", "local_recipient_maps=$b_lrm", "smtpd_helo_restrictions=$b_helo",
		"smtpd_sender_restrictions=$b_sender", "smtpd_recipient_restrictions=$b_rcpt", "smtpd_relay_restrictions=$b_relay",
		"smtpd_authorized_xclient_hosts=127.0.0.1", "smtpd_authorized_xforward_hosts=127.0.0.1",
		"smtpd_upstream_proxy_protocol=haproxy", "smtpd_delay_reject=no", "smtpd_client_restrictions=$d_client"}},
	// E: a client outside mynetworks, Postfix's default relay rules.
	{"E", []string{"mynetworks=192.0.2.0/24"}},
	// R: outside mynetworks, reject_unauth_destination (554).
	{"R", []string{"mynetworks=192.0.2.0/24", "smtpd_relay_restrictions=$r_relay"}},
	// F: limits.
	{"F", []string{"message_size_limit=2000", "smtpd_recipient_limit=3", "smtpd_recipient_overshoot_limit=2",
		"smtpd_hard_error_limit=6", "smtpd_soft_error_limit=2", "smtpd_junk_command_limit=3", "smtpd_helo_required=yes",
		"line_length_limit=600"}},
	// G: access tables of every kind, mynetworks is loopback only.
	{"G", []string{"mynetworks=127.0.0.1/32", "smtpd_client_restrictions=$g_client", "smtpd_helo_restrictions=$g_helo",
		"smtpd_sender_restrictions=$g_sender", "smtpd_recipient_restrictions=$g_rcpt", "smtpd_relay_restrictions=",
		"smtpd_data_restrictions=$g_data", "smtpd_etrn_restrictions=$g_etrn"}},
	// H: immediate rejects (no delay) and strict envelopes.
	{"H", []string{"smtpd_delay_reject=no", "smtpd_sender_restrictions=$h_sender", "smtpd_helo_restrictions=$h_helo",
		"strict_rfc821_envelopes=yes", "disable_vrfy_command=yes"}},
	// S: switches: no SMTPUTF8, discarded EHLO keywords, no peer name.
	{"S", []string{"smtputf8_enable=no", "smtpd_discard_ehlo_keywords=$s_discard", "smtpd_peername_lookup=no",
		"smtpd_client_port_logging=no"}},
	// U: SMTP AUTH through the fake Dovecot auth server.
	{"U", []string{"mynetworks=192.0.2.0/24", "smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot",
		"smtpd_sasl_path=inet:127.0.0.1:23098", "smtpd_relay_restrictions=$u_relay"}},
	{"UB", []string{"mynetworks=192.0.2.0/24", "smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot",
		"smtpd_sasl_path=inet:127.0.0.1:23098", "smtpd_relay_restrictions=$u_relay", "broken_sasl_auth_clients=yes",
		"smtpd_sasl_authenticated_header=yes"}},
	// V, VW: address verification through the fake verify service.
	{"V", []string{"smtpd_recipient_restrictions=$v_rcpt", "smtpd_sender_restrictions=$v_sender",
		"address_verify_service_name=vfake", "address_verify_poll_count=2", "address_verify_poll_delay=1s"}},
	{"VX", []string{"mynetworks=192.0.2.0/24", "smtpd_recipient_restrictions=$v_warn",
		"address_verify_service_name=vfake", "address_verify_poll_count=1"}},
	{"VW", []string{"mynetworks=192.0.2.0/24", "smtpd_recipient_restrictions=$v_rcpt2",
		"address_verify_service_name=vfake", "address_verify_poll_count=1", "unverified_recipient_reject_code=550",
		"unverified_recipient_defer_code=451", "unverified_recipient_tempfail_action=defer",
		"unverified_recipient_reject_reason=$v_reason", "unverified_sender_reject_code=550"}},
	// L: anvil rate limits.
	{"L", []string{"mynetworks=192.0.2.0/24", "smtpd_client_message_rate_limit=2", "smtpd_client_recipient_rate_limit=3",
		"smtpd_client_event_limit_exceptions=127.0.0.4"}},
	// FT, FM: reject footers, from the parameter and from a table.
	{"FT", []string{"mynetworks=192.0.2.0/24", `smtpd_reject_footer=\c(ip=$client_address,to=$recipient,helo=$helo_name,from=$sender_domain)\nContact:postmaster@$server_name;client=$client;$unknown_macro;$localtime_is_bogus`, "smtpd_relay_restrictions=$ft_rcpt",
		"local_recipient_maps=$b_lrm"}},
	{"FM", []string{"mynetworks=192.0.2.0/24", "smtpd_reject_footer_maps=$fm_maps", "smtpd_reject_footer=generic_footer_for_$client_address",
		"smtpd_relay_restrictions=$ft_rcpt", "local_recipient_maps=$b_lrm", "soft_bounce=yes"}},
	// RO: receive_override_options.
	{"RO", []string{"receive_override_options=$ro_opts", "local_recipient_maps=$b_lrm"}},
	// QF: queue_minfree larger than any disk.
	{"QF", []string{"queue_minfree=999999999999999", "message_size_limit=1000000"}},
	// LM: sender login checks with SASL through the fake Dovecot server.
	{"LM", []string{"mynetworks=192.0.2.0/24", "smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot",
		"smtpd_sasl_path=inet:127.0.0.1:23098", "smtpd_relay_restrictions=$u_relay", "smtpd_sender_login_maps=$lm_maps",
		"smtpd_sender_restrictions=$lm_sender", "recipient_delimiter=+", "smtpd_restriction_classes=lm_all,lm_known,lm_auth,lm_unauth"}},
	// LN: the same restriction without SASL support.
	{"LN", []string{"smtpd_sender_login_maps=$lm_maps", "smtpd_sender_restrictions=$lm_sender",
		"smtpd_restriction_classes=lm_all,lm_known,lm_auth,lm_unauth"}},
	// RD: recipient_delimiter in the unknown recipient and access checks.
	{"RD", []string{"mynetworks=192.0.2.0/24", "recipient_delimiter=+", "local_recipient_maps=$b_lrm",
		"virtual_alias_maps=$rd_valias", "virtual_mailbox_maps=$rd_vmbox", "relay_recipient_maps=$rd_relay",
		"smtpd_recipient_restrictions=$rd_rcpt", "smtpd_sender_restrictions=$rd_sender"}},
	// UF: SASL mechanism filter and response limit.
	{"UF", []string{"smtpd_sasl_auth_enable=yes", "smtpd_sasl_type=dovecot", "smtpd_sasl_path=inet:127.0.0.1:23098",
		"smtpd_sasl_mechanism_filter=!login,static:rest", "smtpd_sasl_response_limit=12288"}},
	// N: DNS-based access checks, answered by the test's DNS server.
	{"N", []string{"mynetworks=192.0.2.0/24", "smtpd_client_restrictions=$n_client", "smtpd_helo_restrictions=$n_helo",
		"smtpd_sender_restrictions=$n_sender", "smtpd_recipient_restrictions=$n_rcpt", "smtpd_relay_restrictions="}},
	// X, X6: XCLIENT and XFORWARD from any address (the address forms
	// Postfix accepts and what it then matches against mynetworks, a
	// cidr table and the authorized hosts), with inet_protocols as the
	// instance has it (ipv4) and with all protocols.
	{"X", []string{"mynetworks=127.0.0.1/32", "smtpd_authorized_xclient_hosts=$x_hosts",
		"smtpd_authorized_xforward_hosts=$x_hosts", "smtpd_client_restrictions=$x_client",
		"smtpd_relay_restrictions=$r_relay"}},
	{"X6", []string{"mynetworks=127.0.0.1/32", "smtpd_authorized_xclient_hosts=$x_hosts",
		"smtpd_authorized_xforward_hosts=$x_hosts", "smtpd_client_restrictions=$x_client",
		"smtpd_relay_restrictions=$r_relay", "inet_protocols=all"}},
	// T: restriction classes whose tables cannot be opened (a missing
	// file, an unknown type): Postfix opens them when the process
	// starts.
	{"T", []string{"mynetworks=127.0.0.1/32", "smtpd_restriction_classes=$t_classes",
		"smtpd_recipient_restrictions=$t_rcpt"}},
}

// dnsProfiles run their smtpds in the DNS server's network namespace.
var dnsProfiles = map[string]bool{"N": true}

// profileIndex returns the index of a profile name.
func profileIndex(name string) (int, error) {
	for i, p := range profiles {
		if p.name == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown profile %q", name)
}

// profileMasterCF returns the master.cf lines of every profile: the real
// smtpd as "smtpd", ours as "gosmtpd".
func profileMasterCF() string {
	var b strings.Builder
	for i, p := range profiles {
		var opts strings.Builder
		for _, o := range p.opts {
			opts.WriteString(" -o " + o)
		}
		real, ours := "smtpd", "gosmtpd"
		if dnsProfiles[p.name] {
			real, ours = "dnssmtpd", "dnsgosmtpd"
		}
		fmt.Fprintf(&b, "127.0.0.1:%d inet n - n - - %s%s\n", profileBasePort+2*i, real, opts.String())
		fmt.Fprintf(&b, "127.0.0.1:%d inet n - n - - %s%s\n", profileBasePort+2*i+1, ours, opts.String())
	}
	return b.String()
}

// profileAddrs returns the real and our service addresses.
func profileAddrs(name string) (real, ours string, err error) {
	i, err := profileIndex(name)
	if err != nil {
		return "", "", err
	}
	return fmt.Sprintf("127.0.0.1:%d", profileBasePort+2*i), fmt.Sprintf("127.0.0.1:%d", profileBasePort+2*i+1), nil
}
