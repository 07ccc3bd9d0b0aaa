// Package agents holds the end-to-end tests of the virtual(8) and pipe(8)
// delivery agents and the verify(8) service: each of ours is swapped
// singly into an otherwise real Postfix instance (real master, a scratch
// daemon_directory of links to the real daemons, see
// tests/internal/instance) and what it does with the same mail is
// compared with an all-real instance: delivered mailboxes, the pipe
// command's arguments, environment and input, log lines, bounce notices,
// and address verification answers (smtpd's reject_unverified_recipient
// and direct verify queries).
package agents
