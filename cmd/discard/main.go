// Command discard is the Postfix discard mail delivery agent
// (discard(8)): it reports every recipient of a delivery request as
// delivered (status=sent, relay=none) with the next-hop field as reason
// ("X.Y.Z text", status 2.0.0 when no code is given), and marks the
// recipients done in the queue file.
//
// Deliberate differences: none known.
package main

import (
	"os"

	"gopostfix/libmaster"
)

func main() {
	a := &agent{}
	libmaster.SingleServerMain(os.Args, a.serve, libmaster.Options{PreInit: a.init})
}
