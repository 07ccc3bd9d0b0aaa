package hostile

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"gopostfix/tests/internal/instance"
)

// ourPrograms make a complete mail system: master, every daemon the
// tests' master.cf names, and the commands the tests run.
var ourPrograms = []string{"master", "postlogd", "pickup", "cleanup", "trivial-rewrite", "qmgr",
	"local", "bounce", "error", "discard", "showq", "smtpd", "proxymap", "anvil",
	"sendmail", "postdrop", "postqueue", "postsuper", "postalias", "postmap", "postcat", "postlog", "postkick"}

var ours = instance.NewPrograms(ourPrograms...)

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// masterCF is the service list of every instance; @PORT@ is its SMTP
// port and @SMTPD@ the extra fields of the smtpd line (process limit,
// -o options).
const masterCF = `127.0.0.1:@PORT@ inet n - n - @MAXPROC@ smtpd @SMTPD@
` + instance.MasterCF + `showq     unix  n       -       n       -       -       showq
proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
`

// mainCF adds to instance.LocalMainCF what the scenarios need: no
// error sleeps, a relay domain whose mail is silently discarded, and
// mail to unknown domains refused.
const mainCF = `smtpd_error_sleep_time = 0
delay_warning_time = 0
relay_domains = discard.example
service_throttle_time = 5s
`

// transportMap sends the relay domain to the discard agent.
const transportMap = "discard.example discard:silently\n"

// setup describes one instance of a scenario.
type setup struct {
	port    int               // SMTP port (32000-32999)
	main    string            // added to main.cf
	maxproc string            // smtpd process limit ("-" default)
	smtpd   string            // extra fields of the smtpd line
	master  string            // extra master.cf lines (@PORT2@ is port+500)
	files   map[string]string // extra files
	noStart bool
	// slowRetry leaves out instance.FastRetryCF: deferred mail waits
	// for Postfix's default back-off times.
	slowRetry bool
}

// newInstance starts an instance: all ours when allOurs, else all real.
func newInstance(t *testing.T, allOurs bool, s setup) *instance.Instance {
	t.Helper()
	var swap map[string]string
	if allOurs {
		swap = ours.Map(t)
	}
	maxproc := s.maxproc
	if maxproc == "" {
		maxproc = "-"
	}
	master := strings.NewReplacer("@PORT@", strconv.Itoa(s.port), "@PORT2@", strconv.Itoa(s.port+500), "@MAXPROC@", maxproc, "@SMTPD@", s.smtpd).Replace(masterCF + s.master)
	files := map[string]string{"etc/transport": transportMap, "etc/aliases": "postmaster: root\nroot: nobody\n"}
	for k, v := range s.files {
		files[k] = v
	}
	retry := instance.FastRetryCF
	if s.slowRetry {
		retry = ""
	}
	return instance.New(t, instance.Options{Prefix: "hostile", Main: instance.LocalMainCF + retry + mainCF + s.main,
		Master: master, Files: files, Ours: swap, NoStart: s.noStart,
		Aliases: []string{"etc/aliases"}, Maps: []string{"etc/transport"}})
}

// sides runs a scenario on an all-real instance (port) and on an
// all-ours one (port+1) in parallel and returns both results.
func sides[T any](t *testing.T, port int, run func(t *testing.T, allOurs bool, port int) T) (real, got T) {
	t.Helper()
	t.Run("sides", func(t *testing.T) {
		t.Run("real", func(t *testing.T) { t.Parallel(); real = run(t, false, port) })
		t.Run("ours", func(t *testing.T) { t.Parallel(); got = run(t, true, port+1) })
	})
	if t.Failed() {
		t.FailNow()
	}
	return real, got
}
