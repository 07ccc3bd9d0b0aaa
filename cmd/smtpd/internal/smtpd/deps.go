package smtpd

import (
	"net"
	"time"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libtls"
)

// Params is where configuration values come from: libglobal/mailconf's
// reader, after main.cf, master.cf -o overrides and $name expansion.
type Params interface {
	Str(name string) string
	Bool(name string) bool
	Int(name string) int
	Time(name string) time.Duration
	List(name string) []string
	// Raw returns a value without $name expansion (templates such as
	// default_rbl_reply are expanded later with their own variables).
	Raw(name string) string
}

// Table is one lookup table (type:name), as opened by the dict/maps layer.
// A lookup error is reported as err; not found as found == false.
type Table interface {
	Lookup(key string) (value string, found bool, err error)
}

// HostList matches a client against a host/network pattern list such as
// mynetworks or smtpd_authorized_xclient_hosts (Postfix's namadr_list).
type HostList interface {
	Match(name, addr string) (bool, error)
}

// ResolveFlags are the trivial-rewrite resolver flags, with Postfix's
// RESOLVE_FLAG_* and RESOLVE_CLASS_* values.
type ResolveFlags int

const (
	ResolveFinal   ResolveFlags = 1 << 0
	ResolveRouted  ResolveFlags = 1 << 1
	ResolveError   ResolveFlags = 1 << 2
	ResolveFail    ResolveFlags = 1 << 3
	ClassLocal     ResolveFlags = 1 << 8
	ClassAlias     ResolveFlags = 1 << 9
	ClassVirtual   ResolveFlags = 1 << 10
	ClassRelay     ResolveFlags = 1 << 11
	ClassDefault   ResolveFlags = 1 << 12
	ClassFinal                  = ClassLocal | ClassAlias | ClassVirtual
	ResolveClasses              = ClassLocal | ClassAlias | ClassVirtual | ClassRelay | ClassDefault
)

// Resolved is the trivial-rewrite resolve reply for one address.
type Resolved struct {
	Transport, Nexthop, Recipient string
	Flags                         ResolveFlags
}

// Resolver resolves an address the way the trivial-rewrite service does
// (resolve_clnt_query_from).
type Resolver interface {
	Resolve(sender, addr string) (Resolved, error)
}

// DNSResult is the outcome of a DNS query as smtpd needs it.
type DNSResult int

const (
	DNSFound    DNSResult = iota // records exist
	DNSNotFound                  // NXDOMAIN or no data
	DNSTempFail                  // try again later
	DNSNullMX                    // MX 0 . (RFC 7505)
)

// DNS answers the host and mail-domain questions of the reject_unknown_*
// restrictions.
type DNS interface {
	// Host looks up A/AAAA records of name.
	Host(name string) DNSResult
	// MailDomain looks up MX records of domain, falling back to A/AAAA.
	MailDomain(domain string) DNSResult
	// Addrs looks up the A records of a DNS list query name.
	Addrs(name string) (DNSResult, []string)
	// Text returns the TXT record of a DNS list query name, or "".
	Text(name string) string
	// Servers looks up the MX (or, with ns, NS) host names of a domain
	// (dns_lookup); a failure comes with the resolver's error text.
	Servers(domain string, ns bool) (res DNSResult, hosts []string, why string)
	// HostAddrs looks up a host's addresses as getaddrinfo does (hosts
	// file, then DNS), or gives gai_strerror's text.
	HostAddrs(name string) (addrs []string, why string)
}

// Queue is the handoff to the cleanup service.
type Queue interface {
	// Open starts a new queue file with the given cleanup flags.
	Open(flags int) (Message, error)
}

// Message is one queue file being written through cleanup.
type Message interface {
	// ID is the queue ID cleanup assigned.
	ID() string
	// Record writes one queue-file record.
	Record(typ byte, data string) error
	// Finish waits for cleanup's verdict after the end record: a
	// CLEANUP_STAT_* mask and an optional reason text.
	Finish() (status int, why string)
	// Abort abandons the message.
	Abort()
	// SendMilters hands the session's Milters to cleanup (milter_send:
	// the milter count record, then the Milters themselves), so that
	// cleanup runs their content events.
	SendMilters(m Milters) error
}

// Verify is the address verification service (verify(8)).
type Verify interface {
	// Query returns the request status (VerifyOK when the answer is
	// valid), the address status (Rcpt*) and the reason text.
	Query(addr string) (status, addrStatus int, why string)
	// Service is the service name, for warnings.
	Service() string
}

// Request and address status values of the verify protocol
// (VRFY_STAT_OK, DEL_RCPT_STAT_*).
const (
	VerifyOK   = 0
	RcptOK     = 0
	RcptDefer  = 1
	RcptBounce = 2
	RcptTodo   = 3
)

// Anvil is the connection and rate limiting service (anvil(8)); every
// call counts one event for (service, client address) and returns the
// current count or rate.
type Anvil interface {
	Connect(service, addr string) (count, rate int, err error)
	Disconnect(service, addr string) error
	Mail(service, addr string) (int, error)
	Rcpt(service, addr string) (int, error)
	NewTLS(service, addr string) (int, error)
	Auth(service, addr string) (int, error)
}

// Deps bundles the services a Session uses. Zero fields disable the
// corresponding features the way a failing service would in Postfix.
type Deps struct {
	Log       *msg.Logger
	OpenTable func(spec string) (Table, error)
	HostList  func(param string, patterns []string) (HostList, error)
	// AddrMaps opens a list of tables (maps_create) for mail address
	// lookups; title is the parameter name, for warnings.
	AddrMaps func(title, specs string) (*maps.Maps, error)
	// AddrEnv is what those lookups need: recipient_delimiter, myorigin
	// and the local domains.
	AddrEnv  *maps.AddrEnv
	Resolver Resolver
	DNS      DNS
	Queue    Queue
	// DialPolicy connects to a check_policy_service endpoint
	// ("inet:host:port" or "unix:path", relative to the queue directory).
	DialPolicy func(endpoint string, timeout time.Duration) (net.Conn, error)
	// Policy keeps the policy server connections of the process; nil
	// gives each session its own.
	Policy *PolicyClients
	// Flush asks the fast flush service to deliver mail for a site
	// (flush_send_site); the result is one of the Flush* values.
	Flush func(site string) int
	// SASL serves AUTH; nil means no SASL support.
	SASL SASL
	// TLS is the STARTTLS configuration; nil means no TLS.
	TLS *libtls.Server
	// Anvil enforces the smtpd_client_*_limit parameters; nil disables
	// them.
	Anvil Anvil
	// Verify answers reject_unverified_*; nil makes them fail as an
	// unreachable service would.
	Verify Verify
	// FreeSpace reports the queue file system's block size and the
	// blocks available to unprivileged users (fsspace); nil skips the
	// queue_minfree check.
	FreeSpace func() (blockSize, blocksFree uint64)
	// Notify posts a postmaster notice to recipient through cleanup
	// (post_mail_fopen_nowait): lines are the header and body lines;
	// when cleanup is unavailable it warns and sends nothing. nil sends
	// no notices.
	Notify func(recipient string, lines []string)
	// VerifySender is address_verify_sender without time stamp,
	// rewritten in the local context (@$myorigin appended); nil when
	// trivial-rewrite is not available.
	VerifySender func() string
	// OwnAddr reports whether an address is one of the machine's
	// inet_interfaces addresses (own_inet_addr); nil means none is.
	OwnAddr func(addr string) bool
	// NewMilters connects to the Milters of an smtpd_milters value
	// (milter_create); nil means no Milter support.
	NewMilters func(names string) (Milters, error)
	Now        func() time.Time
	Sleep      func(time.Duration)
	Pid        int
}

// anvilRcpt is Anvil.Rcpt for a possibly absent Anvil.
func (d *Deps) anvilRcpt(service, addr string) (int, error) { return d.Anvil.Rcpt(service, addr) }
