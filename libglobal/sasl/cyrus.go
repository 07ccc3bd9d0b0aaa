package sasl

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"gopostfix/libglobal/util/msg"
)

// CyrusOptions configure a Cyrus SASL server (smtpd_sasl_type = cyrus).
type CyrusOptions struct {
	// App is smtpd_sasl_path: the configuration file is App.conf.
	App string
	// ConfigDir is config_directory. Debian's Postfix hands libsasl2
	// the search path ConfigDir/sasl:/usr/lib/sasl (DebianConfigPath),
	// which wins over cyrus_sasl_config_path: the real smtpd looks
	// nowhere else, whatever that parameter says.
	ConfigDir string
	// ConfigPath is upstream Postfix's cyrus_sasl_config_path, a
	// colon-separated list of directories, used only without ConfigDir;
	// "" is then libsasl2's own default (DefaultCyrusConfigPath).
	ConfigPath string
	// Hostname is myhostname: the default sasldb realm and the host in
	// CRAM-MD5 challenges.
	Hostname string
	// Realm is smtpd_sasl_local_domain, appended to user names without
	// one; "" for none.
	Realm string
	// OpenDB opens sasldb files (compat/bdb); nil leaves the auxprop
	// password check without a database.
	OpenDB DBOpener
	// Log receives libsasl2's messages as smtpd logs them ("SASL
	// authentication failure: ...").
	Log *msg.Logger
	// SecurityOptions and TLSSecurityOptions are
	// smtpd_sasl_security_options and smtpd_sasl_tls_security_options:
	// libsasl2 refuses a mechanism they exclude when a session (without
	// TLS, or with it: Request.Secured) asks for it.
	SecurityOptions, TLSSecurityOptions []string
	// Timeout bounds each saslauthd query.
	Timeout time.Duration
	// Rand and Now feed the CRAM-MD5 challenge; nil means crypto/rand
	// and time.Now.
	Rand io.Reader
	Now  func() time.Time
}

// Cyrus is the server side of SMTP AUTH as Postfix's xsasl_cyrus_server.c
// with libsasl2 2.1.28 provides it, for the mechanisms PLAIN, LOGIN,
// CRAM-MD5 and ANONYMOUS and the password checks auxprop (sasldb) and
// saslauthd. It holds no per-session state and is safe for concurrent
// use.
type Cyrus struct {
	o         CyrusOptions
	conf      CyrusConfig
	mechList  []string // mech_list, upper case; nil when not set
	pwcheck   []string
	sasldb    string
	saslauthd string
}

// NewCyrus reads the application's configuration file.
func NewCyrus(o CyrusOptions) (*Cyrus, error) {
	path := o.ConfigPath
	if o.ConfigDir != "" {
		path = DebianConfigPath(o.ConfigDir)
	}
	conf, err := ReadCyrusConfig(o.App, path)
	if err != nil {
		return nil, err
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	c := &Cyrus{o: o, conf: conf,
		pwcheck:   strings.Fields(conf.Option("pwcheck_method", "auxprop")),
		sasldb:    conf.Option("sasldb_path", DefaultSasldbPath),
		saslauthd: conf.Option("saslauthd_path", DefaultSaslauthdPath),
	}
	if v, ok := conf.options["mech_list"]; ok {
		for _, m := range strings.Fields(v) {
			c.mechList = append(c.mechList, strings.ToUpper(m))
		}
	}
	return c, nil
}

// ConfigFile is the configuration file in use, "" for none.
func (c *Cyrus) ConfigFile() string { return c.conf.File }

// Security flags of a mechanism, as the plugins declare them.
const (
	secNoPlaintext = 1 << iota
	secNoActive
	secNoDictionary
	secForwardSecrecy
	secNoAnonymous
	secMutualAuth
)

// securityOption maps smtpd_sasl_security_options words to the flags a
// mechanism must have.
var securityOption = map[string]int{
	"noplaintext": secNoPlaintext, "noactive": secNoActive, "nodictionary": secNoDictionary,
	"forward_secrecy": secForwardSecrecy, "noanonymous": secNoAnonymous, "mutual_auth": secMutualAuth,
}

// cyrusMechs are the mechanisms implemented here, in the order Debian's
// libsasl2 lists them when mech_list is not set.
var cyrusMechs = []struct {
	name  string
	flags int
}{
	{"CRAM-MD5", secNoPlaintext | secNoAnonymous},
	{"PLAIN", secNoAnonymous},
	{"LOGIN", secNoAnonymous},
	{"ANONYMOUS", secNoPlaintext},
}

func mechFlags(name string) (int, bool) {
	for _, m := range cyrusMechs {
		if m.name == name {
			return m.flags, true
		}
	}
	return 0, false
}

// Mechanisms lists the mechanisms that mech_list allows (in its order,
// else in libsasl2's) and the security options permit. With none left
// smtpd cannot run: it logs and exits as Postfix's does.
func (c *Cyrus) Mechanisms(options []string) ([]string, error) {
	if err := c.checkOptions(options); err != nil {
		return nil, err
	}
	var out []string
	for _, name := range c.candidates() {
		if c.permitted(name, options) {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		c.o.Log.Warnf("xsasl_cyrus_server_get_mechanism_list: no applicable SASL mechanisms")
		c.o.Log.Fatalf("no SASL authentication mechanisms")
		return nil, fmt.Errorf("no SASL authentication mechanisms")
	}
	return out, nil
}

// checkOptions is xsasl_cyrus_security_parse_opts: the words are case
// sensitive, and one unknown word makes the whole setting bad, which
// ends the smtpd process as Postfix's ends. The text quoted is the
// words joined by ", " (the parameter's own spelling is not known here).
func (c *Cyrus) checkOptions(options []string) error {
	bad := false
	for _, o := range options {
		if _, ok := securityOption[o]; !ok {
			c.o.Log.Warnf("unknown SASL security options value \"%s\" in \"%s\"", o, strings.Join(options, ", "))
			bad = true
		}
	}
	if !bad {
		return nil
	}
	c.o.Log.Warnf("bad per-session SASL security properties")
	c.o.Log.Fatalf("SASL per-connection initialization failed")
	return fmt.Errorf("bad SASL security options %q", options)
}

// candidates are the implemented mechanisms mech_list selects.
func (c *Cyrus) candidates() []string {
	if c.mechList == nil {
		out := make([]string, len(cyrusMechs))
		for i, m := range cyrusMechs {
			out[i] = m.name
		}
		return out
	}
	var out []string
	for _, name := range c.mechList {
		if _, ok := mechFlags(name); ok && !contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// permitted applies the security options to one mechanism.
func (c *Cyrus) permitted(name string, options []string) bool {
	return unmet(name, options) == 0
}

// unmet are the flags the options require that the mechanism lacks.
func unmet(name string, options []string) int {
	flags, ok := mechFlags(name)
	if !ok {
		return -1
	}
	need := 0
	for _, o := range options {
		need |= securityOption[o]
	}
	return need &^ flags
}

// JudgesInput reports that this server answers unknown mechanisms and
// malformed base64 itself, as libsasl2 does behind Postfix's
// xsasl_cyrus_server.c; smtpd's own checks of both stand for
// xsasl_dovecot_server.c's and do not apply (see tests/sasl).
func (*Cyrus) JudgesInput() bool { return true }
