// Command postqueue is Postfix's queue control for ordinary users, as
// postqueue(1) of Postfix 3.7, installed set-gid postdrop:
//
//	postqueue [-v] [-c config_dir] -p     list the queue (mailq)
//	postqueue [-v] [-c config_dir] -j     list the queue, one JSON object per line
//	postqueue [-v] [-c config_dir] -f     flush: wake up qmgr (and pickup)
//	postqueue [-v] [-c config_dir] -s site    flush the mail for site (flush(8))
//	postqueue [-v] [-c config_dir] -i queue_id    flush one deferred message
//
// Listings come from the showq service (public/showq); when it cannot be
// reached and the caller is root, postqueue runs showq in stand-alone
// mode ("showq -u -S") and reads its output instead. Users other than
// root and mail_owner must be allowed by authorized_mailq_users (listing)
// or authorized_flush_users (flushing), lists that may name lookup
// tables. Messages go to standard error and to the mail log; every fatal
// error exits with status 69 (EX_UNAVAILABLE), as Postfix's cleanup hook
// makes it.
//
// -s asks the flush service (flush_service_name) only for a site that
// fast_flush_domains lists; -i always asks it.
//
// Run set-gid by an ordinary user, it accepts a non-default configuration
// directory only when the default main.cf lists it in
// alternate_config_directories (or multi_instance_directories).
//
// Deliberate difference: tables of type proxy: are not offered in the
// access lists.
package main

import (
	"os"
	"syscall"
)

func main() {
	syscall.Umask(022)
	os.Exit(run(os.Args))
}
