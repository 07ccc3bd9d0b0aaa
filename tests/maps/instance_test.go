package maps

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

// progs are our programs under test, built once for the package.
var progs = instance.NewPrograms("postmap", "proxymap")

func TestMain(m *testing.M) { os.Exit(progs.Main(m)) }

// proxyMasterCF runs only proxymap, proxywrite and postlogd.
const proxyMasterCF = `proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap -n proxywrite
postlog unix-dgram n - n - 1 postlogd
`

// newInstance starts a scratch instance whose real master runs only
// proxyMasterCF's services, with extra appended to main.cf. proxymap is
// the proxymap program master runs (the real one or ours); setup runs
// before master starts, with the instance directory.
func newInstance(t *testing.T, proxymap, extra string, setup func(root string)) *instance.Instance {
	t.Helper()
	in := instance.New(t, instance.Options{Prefix: "mapsproxy", Main: "alias_maps =\nalias_database =\n" + extra,
		Master: proxyMasterCF, Ours: map[string]string{"proxymap": proxymap}, NoStart: true})
	if setup != nil {
		setup(in.Root)
	}
	in.Start()
	return in
}
