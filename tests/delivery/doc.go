// Package delivery holds the end-to-end tests of the delivery side
// (qmgr, error, discard): each test builds scratch Postfix instances in
// which the real 3.7.11 master runs the real daemons except the one
// swapped for ours, sends mail with the real sendmail, and checks what
// arrives in the mailboxes, what stays queued and what is logged,
// comparing the log lines with those of an all-real instance running
// the same scenario. The real Postfix must be installed; the tests
// fail, never skip, when it is not.
package delivery
