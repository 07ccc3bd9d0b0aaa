// Package mailstream is how a program hands a message to the queue
// (src/global/mail_stream.c and mail_trigger.c): File writes a queue file
// directly (postdrop into maildrop, cleanup into incoming) and completes
// it the way readers recognise, by setting the owner-execute bit after
// flushing, then fsync, then waking up the queue's consumer; Command runs
// postdrop and streams records to it (sendmail). Trigger sends the
// one-byte wakeup requests of Postfix to a public or private endpoint,
// UNIX socket or FIFO.
package mailstream
