// Package harness is the local(8) and bounce(8) tests' view of
// tests/internal/instance, kept for the packages that still import it
// (tests/agents): an instance with LocalMainCF, MasterCF, etc/aliases
// and etc/transport built with the real postalias and postmap, and the
// real master running the real daemons except the ones given as ours.
// New code should use tests/internal/instance directly.
package harness

import (
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// RealDaemonDir is where Debian installs the real daemons.
const RealDaemonDir = instance.RealDaemonDir

// MainCF is the main.cf of the instances (without the path settings
// every instance has).
const MainCF = instance.LocalMainCF + instance.FastRetryCF

// MasterCF lists the services of a local-delivery system.
const MasterCF = instance.MasterCF

// Instance is one running scratch Postfix.
type Instance = instance.Instance

// New creates and starts an instance. ours maps daemon names to our
// binaries; mainExtra is appended to MainCF; files are written relative
// to the instance directory (@ROOT@ substituted); etc/aliases and
// etc/transport are built with the real postalias and postmap.
func New(t *testing.T, ours map[string]string, mainExtra string, files map[string]string) *Instance {
	t.Helper()
	return instance.New(t, instance.Local(mainExtra, files, ours))
}

// WaitFor polls cond for at most limit.
func WaitFor(limit time.Duration, cond func() bool) bool { return instance.WaitFor(limit, cond) }

// Mask hides what differs between two runs (instance.Mask).
func Mask(s, root string) string { return instance.Mask(s, root) }
