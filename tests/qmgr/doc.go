// Package qmgr compares the job scheduler of our qmgr (nqmgr's
// preemption of big jobs by small ones, the delivery slot accounting,
// the in-core recipient limits and refills per transport and message,
// the recipients per delivery request) with the real 3.7.11 qmgr: the
// same scenario runs in a scratch instance of the real Postfix and in
// one where only qmgr is ours, and the order in which recipients are
// delivered and how they are grouped into delivery requests must be the
// same.
//
// Scheduling decisions depend on what is in the active queue when a
// delivery agent asks for work, so every scenario makes them
// deterministic: a pipe transport with one process and a destination
// concurrency of 1 delivers strictly one request at a time, and its
// first request waits for a gate file while the test feeds the rest of
// the mail into the active queue; then the gate opens and the order is
// the scheduler's alone. The real Postfix must be installed; the tests
// fail, never skip, when it is not.
package qmgr
