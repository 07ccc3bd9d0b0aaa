// Package hostile attacks scratch mail systems with bad input and
// failures and checks the project's rule: a clear Postfix-style error
// (a 4xx/5xx reply, "warning:", "fatal:"), no crash and no lost or
// half-queued mail. Each case runs on an all-ours instance (our master,
// our daemons, tests/internal/instance) and, where the behaviour is
// comparable, on an all-real Postfix 3.7.11 instance beside it, and the
// replies, log lines and queue contents are compared:
//
//   - SMTP clients sending a 10 MB line, endless headers, NUL bytes,
//     bare CR and LF, pipelined garbage, thousands of recipients,
//     disconnecting at every stage, trickling bytes (slowloris), or
//     opening many connections at once;
//   - corrupt queue files in incoming/, active/ and deferred/ (qmgr and
//     bounce), maildrop/ (pickup) and hold/ (postqueue, postcat);
//   - truncated or garbage lookup tables used by smtpd, cleanup, local
//     and trivial-rewrite;
//   - bad main.cf values for the daemons (master throttles them);
//   - a full queue file system and unwritable mailboxes.
//
// The tests need root and the real Postfix; they fail, never skip,
// without them. SMTP listeners use loopback ports 32000-32999: each
// test has a base port B (the real instance) and B+1 (ours), plus
// extra smtpd listeners at fixed offsets, all distinct (TestHostileDialogues
// 32000, TestDisconnects 32010 and 32510, TestSlowClients 32020 and
// 32520, TestManyConnections 32030, TestCorruptQueueFiles 32040,
// TestBrokenTables 32060 and 32360-32441, TestBadConfigValues 32070 and
// 32770-32801, TestUnwritableMailboxes 32080, TestFullQueue 32090 and
// 32590). Every process is stopped by its exact pid, every wait is
// bounded, instance directories (and TestFullQueue's tmpfs) are
// removed at the end.
//
// Differences from the real Postfix in code this suite may not change
// are findings: each such case asserts what holds today and names the
// finding in a comment.
package hostile
