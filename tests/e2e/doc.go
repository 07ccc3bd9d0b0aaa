// Package e2e runs whole mail systems made only of our programs: our
// master starts our pickup, cleanup, trivial-rewrite, qmgr, local,
// bounce, error, discard, showq, smtpd and postlogd, and mail is
// submitted with our sendmail/postdrop or over SMTP and managed with our
// postqueue and postsuper (tests/internal/instance). Each scenario also
// runs on an all-real Postfix 3.7.11 instance and the delivered mail and
// log lines are compared with queue IDs, dates and process ids masked.
// The crash test kills random daemons of the all-ours system while
// 1,000 messages flow and checks that none is lost or duplicated.
//
// The tests need root and the real Postfix; they fail, never skip,
// without them. SMTP listeners use loopback ports 24000-24999.
package e2e
