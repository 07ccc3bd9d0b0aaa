package qmgr

import (
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// TestTransportUnavailable compares qmgr with the real one when a
// transport has no delivery agent (no such service in master.cf): the
// connect to its socket fails, and qmgr warns, throttles the transport
// and has the mail deferred with "mail transport unavailable" (by the
// error agent, as qmgr defers a dead transport's queues); mail for a
// working transport is delivered meanwhile.
func TestTransportUnavailable(t *testing.T) {
	compare(t, unavailableCase)
}

// unavailableCase sends one message to the missing transport and one to
// a local user, and returns qmgr's log lines once both are done with.
func unavailableCase(t *testing.T, ourQmgr bool) result {
	var swap map[string]string
	if ourQmgr {
		swap = ours.Map(t, "qmgr")
	}
	opts := instance.Local("", map[string]string{"etc/transport": "missing.example nosuch:\n"}, swap)
	opts.Prefix = "qmgrnoagent"
	in := instance.New(t, opts)
	in.Send("Subject: nowhere\n\nbody\n", "-f", "sender@example.org", "user@missing.example")
	if !in.WaitLog(30*time.Second, "dsn=4.3.0, status=deferred (mail transport unavailable)") {
		t.Fatalf("ours %v: no deferral:\n%s", ourQmgr, in.Maillog())
	}
	in.Send("Subject: local\n\nbody\n", "-f", "sender@example.org", "root")
	if !in.WaitLog(30*time.Second, "status=sent") {
		t.Fatalf("ours %v: local mail not delivered:\n%s", ourQmgr, in.Maillog())
	}
	time.Sleep(time.Second)
	return result{qmgrLog: in.LogSet("qmgr")}
}
