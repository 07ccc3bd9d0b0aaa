// Package milterinterop runs a real-world Milter, OpenDKIM (built on
// Sendmail's libmilter), behind the real Postfix and behind ours with the
// same configuration, and compares the mail they deliver: smtpd_milters
// for mail received over SMTP, non_smtpd_milters for mail submitted with
// sendmail. Ports 34300-34399.
package milterinterop

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

// ourPrograms are swapped into the "ours" instance: the programs that
// speak to Milters and everything around them.
var ours = instance.NewPrograms("master", "postlogd", "pickup", "cleanup", "trivial-rewrite", "qmgr",
	"local", "bounce", "error", "smtpd", "sendmail", "postdrop")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
