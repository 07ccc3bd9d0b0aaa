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
//   - corrupt queue files in incoming/, active/ and deferred/ (qmgr,
//     postqueue, postcat);
//   - truncated or garbage lookup tables used by smtpd, cleanup and
//     local;
//   - bad main.cf values for the daemons (master throttles them);
//   - a full queue file system and an unwritable mailbox.
//
// The tests need root and the real Postfix; they fail, never skip,
// without them. SMTP listeners use loopback ports 32000-32999; every
// process is stopped by its exact pid.
package hostile
