// Package interop2 runs the real Postfix 3.7.11 master with one of our
// daemons swapped in (flush, scache, spawn, tlsmgr) and compares what
// clients see, and what the daemon leaves in the queue directory, with
// the same scratch instance running the real daemon. The tests need root
// and the real Postfix installed; they fail (never skip) without them.
// Instances live in scratch directories, use loopback ports 21500-21999
// only, are stopped by exact process id, and every wait is bounded.
package interop2
