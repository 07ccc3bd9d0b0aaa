package flow

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

// ours are the programs the tests swap in.
var ours = instance.NewPrograms("trivial-rewrite", "cleanup", "pickup")

// TestMain removes the binaries built for the run.
func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// baseMainCF is the main.cf shared by every instance; extra lines are
// appended.
var baseMainCF = instance.BareMainCF("flow.example") + "default_transport = error:remote delivery disabled\n"

// baseMasterCF lists the services of a complete local-delivery system.
const baseMasterCF = instance.MasterCF

// newInstance creates and starts an instance run by the real master.
// swap maps daemon names (as used in master.cf) to our binaries; every
// other daemon is the real one. files are extra files written into etc/.
func newInstance(t *testing.T, mainExtra, masterCF string, swap map[string]string, files map[string]string) *instance.Instance {
	t.Helper()
	return instance.New(t, instance.Options{Prefix: "flow", Main: baseMainCF + mainExtra,
		Master: masterCF, Ours: swap, Files: instance.InEtc(files)})
}

// waitFor polls cond for at most limit.
var waitFor = instance.WaitFor
