package e2e

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

// ourPrograms make a complete mail system: master, every daemon of
// master.cf, and the commands the tests run.
var ourPrograms = []string{"master", "postlogd", "pickup", "cleanup", "trivial-rewrite", "qmgr",
	"local", "bounce", "error", "discard", "showq", "smtpd", "proxymap",
	"sendmail", "postdrop", "postqueue", "postsuper", "postalias", "postmap", "postlog", "postkick"}

var ours = instance.NewPrograms(ourPrograms...)

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// masterCF is the service list of every instance; @PORT@ is its SMTP
// port.
const masterCF = `127.0.0.1:@PORT@ inet n - n - - smtpd
` + instance.MasterCF + `showq     unix  n       -       n       -       -       showq
proxymap  unix  -       -       n       -       -       proxymap
`

// mainCF adds to instance.LocalMainCF what the scenarios need: short
// timers and local recipients checked by smtpd.
const mainCF = `local_recipient_maps = proxy:unix:passwd.byname $alias_maps
smtpd_error_sleep_time = 0
delay_warning_time = 0
`

// newInstance starts an instance: all ours when allOurs, else all real.
// retry sets the retry timers (instance.FastRetryCF or slower ones).
func newInstance(t *testing.T, allOurs bool, port, retry, extra string, files map[string]string) *instance.Instance {
	t.Helper()
	var swap map[string]string
	if allOurs {
		swap = ours.Map(t)
	}
	return instance.New(t, instance.Options{Prefix: "e2e", Main: instance.LocalMainCF + retry + mainCF + extra,
		Master: replacePort(masterCF, port), Files: files, Ours: swap,
		Aliases: []string{"etc/aliases"}, Maps: []string{"etc/transport"}})
}
