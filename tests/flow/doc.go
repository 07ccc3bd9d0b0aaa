// Package flow holds the end-to-end tests of the mail input side
// (trivial-rewrite, cleanup, pickup): each test builds scratch Postfix
// instances in which the real 3.7.11 master runs the real daemons and,
// in the "swap" instances, one of ours in place of the real one, and
// compares what the two produce (resolver replies, queue files,
// delivered mail). The real Postfix must be installed; the tests fail,
// never skip, when it is not.
package flow
