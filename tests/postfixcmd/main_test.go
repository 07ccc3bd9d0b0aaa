// Package postfixcmd tests our tlsproxy against the real one: the same
// sessions run through a real master with the real postscreen and smtpd
// (server role) or the real smtp and scache (client role), once with the
// real tlsproxy and once with ours (for the client role also with our
// smtp), and the transcripts and log lines are compared.
package postfixcmd

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

var ours = instance.NewPrograms("tlsproxy", "smtp")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
