package instance

// Where Debian installs the real Postfix.
const (
	RealDaemonDir  = "/usr/lib/postfix/sbin"
	RealCommandDir = "/usr/sbin"
)

// commands are the programs of command_directory; every other program
// is a daemon of daemon_directory.
var commands = []string{"mailq", "newaliases", "postalias", "postcat", "postconf", "postdrop",
	"postfix", "postkick", "postlock", "postlog", "postmap", "postmulti", "postqueue",
	"postsuper", "sendmail"}

// pathsCF are the main.cf lines every instance has: everything lives
// below the instance directory @ROOT@, on loopback, IPv4.
const pathsCF = `compatibility_level = 3.6
config_directory = @ROOT@/etc
queue_directory = @ROOT@/queue
data_directory = @ROOT@/data
daemon_directory = @ROOT@/libexec
command_directory = @ROOT@/bin
meta_directory = /etc/postfix
maillog_file = @ROOT@/log/maillog
maillog_file_prefixes = @ROOT@
mail_spool_directory = @ROOT@/spool
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
biff = no
`

// LocalMainCF configures a local-delivery-only system (after the
// reference instance of the golden vectors):
// aliases and transport tables in etc/, .forward files in fwd/, remote
// mail refused by the error transport.
const LocalMainCF = `myhostname = mx.delivspec.example
mydomain = delivspec.example
myorigin = $myhostname
mydestination = $myhostname, localhost.$mydomain, localhost
alias_maps = hash:@ROOT@/etc/aliases
alias_database = hash:@ROOT@/etc/aliases
forward_path = @ROOT@/fwd/$user.forward
recipient_delimiter = +
transport_maps = hash:@ROOT@/etc/transport
default_transport = error:remote delivery disabled in test
`

// BareMainCF is the main.cf of a system named mx.DOMAIN that delivers
// mail for itself and localhost locally, without aliases, and accepts
// every local name; tests append their transports and timings.
func BareMainCF(domain string) string {
	return "myhostname = mx." + domain + "\nmydomain = " + domain + "\nmyorigin = $myhostname\n" +
		"mydestination = $myhostname, localhost\nalias_maps =\nalias_database =\nlocal_recipient_maps =\n"
}

// InEtc returns files, named relative to etc/, as Options.Files (named
// relative to the instance) takes them.
func InEtc(files map[string]string) map[string]string {
	out := make(map[string]string, len(files))
	for name, content := range files {
		out["etc/"+name] = content
	}
	return out
}

// FastRetryCF makes deferred mail come back quickly.
const FastRetryCF = `queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
`

// MasterCF lists the services of a local-delivery system.
const MasterCF = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
postlog   unix-dgram n  -       n       -       1       postlogd
`

// QueueMasterCF adds the services postqueue uses (showq for the
// listing, flush for per-site flushing) to MasterCF.
const QueueMasterCF = MasterCF + `showq     unix  n       -       n       -       -       showq
flush     unix  n       -       n       1000?   0       flush
`

// Local returns the options of a local-delivery system: LocalMainCF and
// FastRetryCF followed by mainExtra, MasterCF, files, and etc/aliases and
// etc/transport built with the instance's postalias and postmap.
func Local(mainExtra string, files, ours map[string]string) Options {
	return Options{Prefix: "localinst", Main: LocalMainCF + FastRetryCF + mainExtra, Files: files, Ours: ours,
		Aliases: []string{"etc/aliases"}, Maps: []string{"etc/transport"}}
}
