// Package postfixcmd tests our tlsproxy (and the postfix command's
// instance-level behaviour) against the real Postfix: the same sessions
// run through a real master, real postscreen and real smtpd, once with
// the real tlsproxy and once with ours, and the transcripts and log
// lines are compared.
package postfixcmd

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

var ours = instance.NewPrograms("tlsproxy")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
