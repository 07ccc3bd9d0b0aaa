// Package queue holds the end-to-end tests of the queue listing and
// flushing tools (showq, postqueue, mailq): scratch Postfix instances run
// by the real 3.7.11 master, with mail kept in the deferred and hold
// queues, in which the showq protocol bytes of our showq (as a service
// under the real master and in stand-alone mode) are compared with the
// real showq's, and our postqueue's listings and flush requests with the
// real postqueue's. The real Postfix must be installed; the tests fail,
// never skip, when it is not.
package queue
