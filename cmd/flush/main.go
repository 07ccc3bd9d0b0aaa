// Command flush is Postfix's fast flush server (flush(8) of Postfix 3.7).
// For every destination in fast_flush_domains it keeps a logfile
// flush/<site> listing the queue IDs of mail deferred for that site (the
// delivery agents' defer logging adds them); ETRN, "sendmail -qR site"
// and "postqueue -s site" make it move exactly those messages from the
// deferred to the incoming queue and wake up qmgr, instead of flushing
// the whole queue. "postqueue -i id" does the same for one message.
//
// Requests on public/flush, one per connection (protocols.md 2.7):
// add (site, queue_id), send_site (site), send_file (queue_id), rfrsh and
// purge, and master's wakeup trigger "W" (same as rfrsh). Replies are
// "status": 0 ok, 3 bad request, 4 site not eligible, -1 failure; an
// unknown request gets no reply. rfrsh flushes non-empty logfiles not
// read for fast_flush_refresh_time and removes empty ones unchanged for
// fast_flush_purge_time; purge flushes every non-empty logfile.
//
// A site's logfile name is its ASCII (IDNA) form with letters
// lower-cased and every other non-alphanumeric byte replaced by "_". The
// logfiles are locked with flock(2) while they are read or appended, as
// Postfix does, so Postfix's and this flush can share a queue.
//
// Deliberate difference: when a non-ASCII site name cannot be converted
// to ASCII, the reason in the warning is not always ICU's error name.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	var f *flusher
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		if len(s.Flags.Args) > 0 {
			s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
		}
		f.serve(s, c)
	}, libmaster.Options{
		Unlimited: true,
		PreInit:   func(s *libmaster.Server) (err error) { f, err = newFlusher(s); return err },
	})
}
