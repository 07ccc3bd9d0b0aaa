package smtpd

import (
	"os"
	"testing"
	"time"

	pfx "gopostfix/tests/internal/instance"
	"gopostfix/tests/internal/nsdns"
)

const (
	realDaemonDir = pfx.RealDaemonDir
	testUser      = "pfxtest"
)

// ours are our programs, built once per test run.
var ours = pfx.NewPrograms("smtpd", "anvil")

// ourBinaries builds our programs and returns their directory.
func ourBinaries(t *testing.T) string { return ours.Dir(t) }

// requireRoot fails the test when the real Postfix cannot be run, and
// creates the local test user.
func requireRoot(t *testing.T) {
	t.Helper()
	pfx.RequireRealPostfix(t)
	pfx.EnsureUser(t, testUser)
}

// instance is one scratch Postfix instance run by the real master
// (tests/internal/instance), with the smtpd services of a test.
type instance struct{ *pfx.Instance }

// baseMainCF is added to the path settings every instance has.
const baseMainCF = `myhostname = mx.example.com
mydomain = example.com
myorigin = $myhostname
mydestination = $myhostname, localhost.$mydomain, example.com
alias_maps =
alias_database =
smtpd_error_sleep_time = 0
default_transport = discard:remote mail disabled in this test
relay_transport = discard:relay disabled in this test
`

// baseMasterCF are the services every instance runs: a local-delivery
// system and the services smtpd talks to; smtpd services are appended
// by each test.
const baseMasterCF = pfx.MasterCF + `verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
`

// newInstance creates and starts an instance. ours maps extra program
// names in the daemon directory to our binaries; files are written into
// etc/ with @ROOT@ replaced.
func newInstance(t *testing.T, mainExtra, masterExtra string, ours map[string]string, files map[string]string) *instance {
	t.Helper()
	requireRoot(t)
	return &instance{pfx.New(t, pfx.Options{Prefix: "smtpdtest", Main: baseMainCF + mainExtra,
		Master: baseMasterCF + masterExtra, Files: pfx.InEtc(files), Ours: ours})}
}

func (in *instance) path(rel string) string { return in.Path(rel) }

func (in *instance) write(rel, content string) { in.Write(rel, content) }

// run runs a command for at most a minute and returns its output.
func (in *instance) run(name string, args ...string) (string, error) {
	return in.RunInput("", name, args...)
}

// maillog returns the instance's log.
func (in *instance) maillog() string { return in.Maillog() }

// waitFor polls cond for at most limit.
func waitFor(limit time.Duration, cond func() bool) bool { return pfx.WaitFor(limit, cond) }

// TestMain removes the binaries built for the run. Run as the DNS
// helper (tests/internal/nsdns), the binary serves DNS instead.
func TestMain(m *testing.M) {
	nsdns.ServeIfHelper()
	os.Exit(ours.Main(m))
}
