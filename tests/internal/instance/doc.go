// Package instance runs scratch Postfix instances for the end-to-end
// tests: a configuration directory, a queue directory with the owners
// and modes "postfix check" gives it, a daemon_directory and a
// command_directory of symbolic links that mix the real Postfix 3.7.11
// programs with ours, and the real master or ours started with -w and
// stopped by its exact process id.
//
// Everything an instance does is bounded: commands run for at most a
// minute, waits take an explicit limit, and stopping master waits at
// most ten seconds before the process group is killed. The instance
// directory is removed at the end of the test unless the test failed,
// in which case its path is logged for inspection.
//
// The tests need root and the real Postfix (Debian's postfix package);
// they fail, never skip, without them.
package instance
