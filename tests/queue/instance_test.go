package queue

import (
	"os"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

var ours = instance.NewPrograms("showq", "postqueue", "sendmail")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// mainCF keeps every remote message deferred, with a reason, by the
// retry (error) transport; retries are far away, so the queue holds
// still while it is listed.
var mainCF = instance.BareMainCF("queue.example") + `default_transport = retry:4.4.1 remote delivery simulated
fast_flush_domains = remote.example
minimal_backoff_time = 3000s
maximal_backoff_time = 4000s
queue_run_delay = 3000s
`

// newInstance starts an instance that runs our programs named in swap.
func newInstance(t *testing.T, swap ...string) *instance.Instance {
	t.Helper()
	return instance.New(t, instance.Options{Prefix: "queue", Main: mainCF,
		Master: instance.QueueMasterCF, Ours: ours.Map(t, swap...)})
}

// fill queues three messages and waits until they are deferred (each
// with a defer logfile), then holds two and forces one of those to
// expire (held, so that qmgr does not return it at once), so that the
// listing shows every kind of entry.
func fill(t *testing.T, in *instance.Instance) {
	t.Helper()
	for _, who := range []string{"alice", "bob", "carol"} {
		in.Send("Subject: queued for "+who+"\n\nbody\n", "-f", who+"@queue.example",
			who+"-1@remote.example", who+"-2@other.example")
	}
	if !instance.WaitFor(30*time.Second, func() bool {
		return len(in.Queued("deferred")) == 3 && len(in.Queued("incoming", "active")) == 0 &&
			strings.Count(in.Maillog(), "status=deferred") == 6
	}) {
		t.Fatalf("messages not deferred:\n%s", in.Maillog())
	}
	ids := in.Queued("deferred")
	in.Postsuper("-h", ids[0], "-h", ids[1])
	in.Postsuper("-e", ids[1])
}
