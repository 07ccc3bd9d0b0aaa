package main

import (
	"fmt"
	"os"
	"strings"

	"gopostfix/libtls"
)

func (t *tlsCtl) enableClient(cmd string, args []string) int {
	opts, rest, ok := getopts(args, "r:")
	if !ok || len(rest) > 0 {
		return t.fatal("usage: postfix tls %s [-r devrandom]", cmd)
	}
	if rc := t.initRandom(opts['r']); rc >= 0 {
		return rc
	}
	if !t.allDefault(clientSettings) {
		text := infoEnableClient
		if typ, ok := t.cacheDBType(); ok {
			text += "  smtp_tls_session_cache_database = " + typ + ":${data_directory}/smtp_scache\n"
		}
		t.info(text)
		return 0
	}
	settings := []string{"smtp_tls_security_level = may", "smtp_tls_loglevel = 1"}
	if typ, ok := t.cacheDBType(); ok {
		settings = append(settings, "smtp_tls_session_cache_database = "+typ+":"+t.c.dirs["data_directory"]+"/smtp_scache")
	}
	if t.random != "" {
		settings = append(settings, "tls_random_source = "+t.random)
	}
	// The script's postconf and messages run in a pipeline into postlog,
	// whose status is the command's.
	if t.edit(settings) {
		t.info(infoClientDeployed)
	}
	return 0
}

// keyCommand holds the options of the commands that make keys.
type keyCommand struct {
	opts      map[byte]string
	hosts     []string
	alg, bits string
}

// keyOptions parses "-a algorithm -b bits" (and more as spec says) and
// checks the algorithm, defaulting the bits (RSA 2048, ECDSA secp256r1);
// emptyText and unsupported are the command's complaints. It returns -1
// to go on, or the exit status.
func (t *tlsCtl) keyOptions(cmd string, args []string, spec, usage, emptyText, unsupported string) (keyCommand, int) {
	opts, hosts, ok := getopts(args, spec)
	if !ok {
		return keyCommand{}, t.fatal("usage: postfix tls %s %s", cmd, usage)
	}
	k := keyCommand{opts: opts, hosts: hosts, alg: t.defAlg, bits: opts['b']}
	if a, set := opts['a']; set {
		k.alg = a
	}
	switch {
	case k.alg == "":
		return k, t.fatal("%s", emptyText)
	case k.alg == libtls.AlgRSA && t.algs[libtls.AlgRSA]:
		if k.bits == "" {
			k.bits = defaultRSABits
		}
	case k.alg == libtls.AlgECDSA && t.algs[libtls.AlgECDSA]:
		if k.bits == "" {
			k.bits = defaultECCurve
		}
	default:
		return k, t.fatal(unsupported, k.alg)
	}
	return k, -1
}

const keyUsage = "[-a algorithm] [-b bits ] [hostname ...]"

func (t *tlsCtl) enableServer(cmd string, args []string) int {
	k, rc := t.keyOptions(cmd, args, "a:b:r:", "[-a algorithm] [-b bits ] [-r devrandom] [hostname ...]",
		"Internal error: empty algorithm ", "Unsupported private key algorithm: %s")
	if rc >= 0 {
		return rc
	}
	if rc := t.initRandom(k.opts['r']); rc >= 0 {
		return rc
	}
	if !t.allDefault(serverSettings) {
		t.info(infoEnableServer)
		return 0
	}
	return t.newCert(k.alg, k.bits, "", "enable", k.hosts)
}

func (t *tlsCtl) newServerKey(cmd string, args []string) int {
	k, rc := t.keyOptions(cmd, args, "a:b:", keyUsage,
		"Internal error: empty algorithm ", "Unsupported public key algorithm: %s")
	if rc >= 0 {
		return rc
	}
	return t.newCert(k.alg, k.bits, "", "", k.hosts)
}

func (t *tlsCtl) newServerCert(cmd string, args []string) int {
	k, rc := t.keyOptions(cmd, args, "a:b:", keyUsage,
		"Invalid empty key algorithm", "Unsupported private key algorithm: %s")
	if rc >= 0 {
		return rc
	}
	keyfile := t.keyfile(k.alg)
	if keyfile != "" && !isRegular(keyfile) {
		t.log.Warnf("Key file: %s not found, creating new keys", keyfile)
		keyfile = ""
	}
	return t.newCert(k.alg, k.bits, keyfile, "", k.hosts)
}

func (t *tlsCtl) deployCommand(cmd string, args []string) int {
	if len(args) != 2 {
		return t.fatal("usage: postfix tls %s certfile keyfile", cmd)
	}
	certfile, keyfile := t.configPath(args[0]), t.configPath(args[1])
	if !t.deploy(certfile, keyfile, "") {
		return 1
	}
	t.info(infoServerDeployed(certfile, keyfile, "deploy"))
	return 0
}

func (t *tlsCtl) outputCSR(cmd string, args []string) int {
	opts, hosts, ok := getopts(args, "k:")
	if !ok {
		return t.fatal("usage: postfix tls %s [-k keyfile] [hostname ...]", cmd)
	}
	keyfile := ""
	if k := opts['k']; k != "" {
		keyfile = t.keyfile(k)
	} else {
		for _, alg := range t.algList() {
			if keyfile = t.keyfile(alg); keyfile != "" {
				break
			}
		}
	}
	if keyfile == "" || !readable(keyfile) {
		return t.fatal("No usable keyfile specified or configured")
	}
	if len(hosts) == 0 {
		hosts = []string{t.fqdn("")}
	}
	keyfile = t.keyfile(keyfile)
	names := append([]string{t.fqdn(hosts[0])}, hosts[1:]...)
	key, _, _, err := readKeyFile(keyfile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Could not read private key from %s\n", keyfile)
		return 1
	}
	csr, err := libtls.CertRequest(key, names)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\n", err)
		return 1
	}
	os.Stdout.Write(csr)
	return 0
}

func (t *tlsCtl) outputTLSA(cmd string, args []string) int {
	opts, keys, ok := getopts(args, "h:")
	if !ok {
		return t.fatal("usage: postfix tls %s [-h hostname] [keyfile ...]", cmd)
	}
	fqdn := t.fqdn(opts['h'])
	if len(keys) == 0 {
		keys = t.algList()
	}
	found := false
	for _, k := range keys {
		keyfile := t.keyfile(k)
		if keyfile == "" {
			continue
		}
		fmt.Printf("; %s\n", keyfile)
		if !t.checkKey(keyfile) {
			return 1
		}
		digest, err := keyDigest(keyfile)
		if err != nil {
			return 1
		}
		fmt.Printf("_25._tcp.%s. IN TLSA 3 1 1 %s\n", fqdn, digest)
		found = true
	}
	if !found {
		return t.fatal("No usable keyfiles specified or configured")
	}
	return 0
}

// algList is "$rsa $ecdsa": the supported algorithms, RSA first.
func (t *tlsCtl) algList() []string {
	var out []string
	for _, a := range []string{libtls.AlgRSA, libtls.AlgECDSA} {
		if t.algs[a] {
			out = append(out, a)
		}
	}
	return out
}

// keyfile is the script's set_keyfile: "rsa" and "ecdsa" name the
// configured key of that kind (main.cf settings only), "none" nothing,
// and a relative name is in the configuration directory.
func (t *tlsCtl) keyfile(name string) string {
	switch name {
	case libtls.AlgRSA, libtls.AlgECDSA:
		if !t.algs[name] {
			return ""
		}
		param := "smtpd_tls_key_file"
		if name == libtls.AlgECDSA {
			param = "smtpd_tls_eckey_file"
		}
		name, _ = t.value("-nxh", param)
	case "", "none":
	default:
		name = t.configPath(name)
	}
	if name == "none" {
		return ""
	}
	return name
}

// configPath makes a user-given file name relative to the configuration
// directory.
func (t *tlsCtl) configPath(name string) string {
	if strings.HasPrefix(name, "/") {
		return name
	}
	return t.c.dirs["config_directory"] + "/" + name
}

// fqdn is the script's set_fqdn: the given name, else $myhostname (read
// from the file it names when it is a path).
func (t *tlsCtl) fqdn(name string) string {
	if name != "" {
		return name
	}
	name, err := t.value("-xh", "myhostname")
	if err != nil {
		return name
	}
	if strings.HasPrefix(name, "/") {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cat: %s: %s\n", name, errText(err))
			return ""
		}
		return strings.TrimRight(string(data), "\n")
	}
	return name
}

// edit saves main.cf settings in one postconf -e run.
func (t *tlsCtl) edit(settings []string) bool {
	return runTool(t.postconf, append([]string{"-e"}, settings...)...) == nil
}

func isRegular(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
