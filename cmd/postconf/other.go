package main

import (
	"os"
	"runtime"
	"sort"
	"syscall"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/dict"
)

// mapTypesNotProvided are the table types Debian's Postfix 3.7.11 lists
// that this project does not implement (memcache, NIS). postconf -m names
// them all the same, so that its output stays the real program's.
var mapTypesNotProvided = []string{"memcache", "nis"}

// mapTypes returns what "postconf -m" lists: the types of the registry
// every program uses (maptypes.NewRegistry), and the ones above, sorted.
func mapTypes() []string {
	names := append(maptypes.NewRegistry(nil).Types(), mapTypesNotProvided...)
	sort.Strings(names)
	return names
}

// Mailbox locking methods (-l), SASL plug-in types (-a, -A) and TLS
// certificate key types (-T public-key-algorithms).
var (
	lockMethods     = []string{"flock", "fcntl", "dotlock"}
	saslServerTypes = []string{"cyrus", "dovecot"}
	saslClientTypes = []string{"cyrus"}
	pkeyAlgorithms  = []string{"ecdsa", "rsa"}
)

func (pc *postconf) showList(list []string) {
	for _, s := range list {
		pc.out.WriteString(s + "\n")
	}
}

// showTLS is postconf -T. Our TLS is Go's crypto/tls, so the versions
// are the Go toolchain's.
func (pc *postconf) showTLS() {
	switch pc.opts.tlsMode {
	case "compile-version", "run-version":
		pc.out.WriteString(goVersion() + "\n")
	case "public-key-algorithms":
		pc.showList(pkeyAlgorithms)
	default:
		pc.log.Warnf("unknown 'postconf -T' mode: %s", pc.opts.tlsMode)
		pc.exit(1)
	}
}

// runBounce hands -t/-b over to bounce(8), which knows the templates:
// "bounce -SVndump_templates" (or expand_templates), as postconf does.
func (pc *postconf) runBounce(args []string) {
	argv := []string{"bounce", "-SVndump_templates"}
	if pc.mode&expDSNTempl != 0 {
		argv[1] = "-SVnexpand_templates"
	}
	if len(args) > 0 {
		if len(args) > 1 {
			pc.log.Fatalf("options -b and -t require at most one template file")
		}
		argv = append(argv, "-o", "bounce_template_file="+args[0])
	}
	argv = append(argv, "-o", "queue_directory=.")
	pc.readParameters()
	pc.registerBuiltins()
	dir, _ := pc.lookupValue(pc.mode, "daemon_directory", nil, nil)
	dir = pc.expand(dir, pc.mode, nil)
	path := dir + "/" + argv[0]
	pc.out.Flush()
	err := syscall.Exec(path, argv, os.Environ())
	pc.log.Fatalf("execv %s: %s", path, dict.ErrnoText(err))
}

func goVersion() string { return "Go " + runtime.Version() }
