// Command postfix is the Postfix control program (postfix(1)): start,
// start-fg, stop, quick-stop, abort, drain, reload, flush, check, status,
// set-permissions and upgrade-configuration. The checks and actions of
// postfix-script are done in Go, with the same messages (logged as
// "postfix/postfix-script", and shown on stderr when it is a terminal)
// and exit codes.
//
// Deliberate differences: set-permissions and the create-missing step of
// check handle the queue and data directories (postfix-files' $queue_directory
// and $data_directory entries), not the installed program files;
// upgrade-configuration adds the postlog service to master.cf when it is
// missing. Multi-instance (postmulti) dispatch is not done.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args))
}
