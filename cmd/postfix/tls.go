package main

import (
	"os"
	"os/exec"
	"strings"

	"gopostfix/libglobal/util/msg"
	"gopostfix/libtls"
)

// tlsCtl is one run of "postfix tls" (postfix-tls-script): main.cf edits
// go through postconf -e, keys and certificates are made with Go's
// crypto in the file formats of the script's openssl commands, and the
// messages are logged as $MAIL_LOGTAG/postfix-tls-script.
type tlsCtl struct {
	c        *ctl
	log      *msg.Logger
	postconf string
	algs     map[string]bool // public key algorithms postconf -T lists
	defAlg   string
	random   string // tls_random_source to save with the settings
}

// Settings whose presence in main.cf means TLS was configured by hand.
var (
	clientSettings = []string{"smtp_use_tls", "smtp_enforce_tls", "smtp_tls_enforce_peername",
		"smtp_tls_security_level", "smtp_tls_cert_file", "smtp_tls_dcert_file", "smtp_tls_eccert_file"}
	serverSettings = []string{"smtpd_use_tls", "smtpd_enforce_tls", "smtpd_tls_security_level",
		"smtpd_tls_cert_file", "smtpd_tls_dcert_file", "smtpd_tls_eccert_file"}
)

const (
	defaultRSABits = "2048"
	defaultECCurve = "secp256r1"
	certDays       = 36525
)

func (c *ctl) tls(args []string) int {
	t := &tlsCtl{c: c, log: c.scriptLogger("postfix-tls-script"),
		postconf: c.dirs["command_directory"] + "/postconf", algs: map[string]bool{}}
	t.log.Exit = func(int) {}
	if rc := t.preamble(); rc >= 0 {
		return rc
	}
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	handlers := map[string]func(string, []string) int{
		"enable-client": t.enableClient, "enable-server": t.enableServer,
		"new-server-key": t.newServerKey, "new-server-cert": t.newServerCert,
		"deploy-server-cert": t.deployCommand, "output-server-csr": t.outputCSR,
		"output-server-tlsa": t.outputTLSA,
		"all-default-client": t.allDefaultCommand, "all-default-server": t.allDefaultCommand,
	}
	if h, ok := handlers[cmd]; ok {
		return h(cmd, args)
	}
	t.log.Errorf("unknown tls command: '%s'", cmd)
	return t.fatal("usage: postfix tls enable-client (or enable-server, new-server-key, new-server-cert, deploy-server-cert, output-server-csr, output-server-tlsa, all-default-client, all-default-server)")
}

func (t *tlsCtl) fatal(format string, args ...any) int {
	t.log.Fatalf(format, args...)
	return 1
}

// info logs text one line per record, as "... | $INFO" does.
func (t *tlsCtl) info(text string) {
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		t.log.Infof("%s", line)
	}
}

// value is "`$postconf ARGS`": the output without trailing newlines, the
// complaints on stderr.
func (t *tlsCtl) value(args ...string) (string, error) {
	cmd := exec.Command(t.postconf, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	return strings.TrimRight(string(out), "\n"), err
}

// preamble is what the script checks first: openssl_path of the default
// configuration, the configuration directory, TLS support and the key
// algorithms of this build. The script's tests of openssl's own
// abilities are not made: keys are not made with openssl here.
func (t *tlsCtl) preamble() int {
	def, _ := t.value("-dh", "config_directory")
	openssl, _ := t.value("-c", def, "-xh", "openssl_path")
	if _, err := exec.LookPath(openssl); openssl == "" || err != nil {
		return t.fatal("No working openssl(1) command found with 'openssl_path = %s'", openssl)
	}
	if dir := t.c.dirs["config_directory"]; dir == "" || !isDir(dir) {
		return t.fatal("no Postfix configuration directory %s!", dir)
	}
	if v, _ := t.value("-T", "compile-version"); v == "" {
		version, _ := t.value("-dh", "mail_version")
		return t.fatal("Postfix %s is not compiled with TLS support", version)
	}
	algs, _ := t.value("-T", "public-key-algorithms")
	for _, a := range strings.Split(algs, "\n") {
		if a == libtls.AlgRSA || a == libtls.AlgECDSA {
			t.algs[a] = true
		}
	}
	switch {
	case t.algs[libtls.AlgRSA]:
		t.defAlg = libtls.AlgRSA
	case t.algs[libtls.AlgECDSA]:
		t.defAlg = libtls.AlgECDSA
	default:
		version, _ := t.value("-dh", "mail_version")
		return t.fatal("Postfix %s does not support either RSA or ECDSA", version)
	}
	return -1
}

// allDefaultCommand is all-default-client and all-default-server: exit
// status 0 when main.cf sets none of the settings.
func (t *tlsCtl) allDefaultCommand(cmd string, args []string) int {
	if len(args) > 0 {
		return t.fatal("usage: postfix tls %s", cmd)
	}
	settings := clientSettings
	if cmd == "all-default-server" {
		settings = serverSettings
	}
	if !t.allDefault(settings) {
		return 1
	}
	return 0
}

// allDefault tells whether main.cf sets none of the settings.
func (t *tlsCtl) allDefault(settings []string) bool {
	for _, name := range settings {
		if v, _ := t.value("-nh", name); v != "" {
			return false
		}
	}
	return true
}

// cacheDBType picks the session cache type postconf -m offers: lmdb,
// else btree.
func (t *tlsCtl) cacheDBType() (string, bool) {
	types, _ := t.value("-m")
	best, prio := "", 0
	for _, typ := range strings.Fields(types) {
		p := map[string]int{"lmdb": 2, "btree": 1}[typ]
		if p > prio {
			best, prio = typ, p
		}
	}
	return best, prio > 0
}

// initRandom sets the tls_random_source to save: -r, else the configured
// one, else /dev/urandom.
func (t *tlsCtl) initRandom(r string) int {
	if r == "" {
		r, _ = t.value("-xh", "tls_random_source")
	}
	if r == "" {
		if !readable("/dev/urandom") {
			return t.fatal("no default TLS random source defined and no /dev/urandom")
		}
		r = "dev:/dev/urandom"
	}
	t.random = r
	return -1
}

// getopts parses options as the shell's "getopts :SPEC" loop does: it
// returns the options seen (the last of a repeated one wins), the
// operands after them, and false for an unknown option or a missing
// argument.
func getopts(args []string, spec string) (map[byte]string, []string, bool) {
	opts := map[byte]string{}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			k := strings.IndexByte(spec, a[j])
			if k < 0 || a[j] == ':' {
				return nil, nil, false
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				if j+1 < len(a) {
					opts[a[j]] = a[j+1:]
				} else if i+1 < len(args) {
					i++
					opts[a[j]] = args[i]
				} else {
					return nil, nil, false
				}
				break
			}
			opts[a[j]] = ""
		}
	}
	return opts, args[i:], true
}
