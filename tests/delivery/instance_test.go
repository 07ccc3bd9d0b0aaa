package delivery

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

// ourPrograms are the daemons this package tests.
var ourPrograms = []string{"qmgr", "error", "discard"}

var ours = instance.NewPrograms(ourPrograms...)

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

var baseMainCF = instance.BareMainCF("deliv.example") + `default_transport = error:remote delivery disabled
transport_maps = texthash:@ROOT@/etc/transport
minimal_backoff_time = 2s
maximal_backoff_time = 4s
queue_run_delay = 2s
`

const baseTransport = `defer.example retry:4.4.1 simulated deferral
discard.example discard:gone for good
later.example retry:4.4.1 not yet
`

// newInstance creates and starts an instance in which the daemons named
// in swap are our builds and every other one is the real one.
func newInstance(t *testing.T, mainExtra string, swap ...string) *instance.Instance {
	t.Helper()
	return instance.New(t, instance.Options{Prefix: "deliv", Main: baseMainCF + mainExtra,
		Master: instance.QueueMasterCF, Ours: ours.Map(t, swap...), Files: map[string]string{"etc/transport": baseTransport}})
}

// send submits a message with the instance's sendmail.
func send(in *instance.Instance, subject string, rcpts ...string) {
	in.Send("Subject: "+subject+"\n\nbody of "+subject+"\n", append([]string{"-f", "root"}, rcpts...)...)
}

var waitFor = instance.WaitFor
