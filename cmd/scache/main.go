// Command scache is Postfix's shared connection cache (scache(8) of
// Postfix 3.7): smtp(8) and lmtp(8) processes hand it open SMTP
// connections (file descriptors, passed over private/scache) when they
// are done with a destination, and ask for one back before they open a
// new connection, so one session can carry mail handed to different
// processes.
//
// The cache has two tables. Endpoint -> sessions: save_endp stores a
// descriptor under an endpoint label ("smtp:127.0.0.1:25") with endpoint
// properties; find_endp gives out (and forgets) the oldest one.
// Destination -> endpoints: save_dest binds a destination label
// ("smtp:example.com") to an endpoint label with destination properties;
// find_dest gives out the oldest session of the first bound endpoint
// that has one. Every entry expires after its time to live, capped by
// connection_cache_ttl_limit; an expired session is closed. Statistics
// (hits, misses, largest sizes) are logged every
// connection_cache_status_update_time and when the process exits.
//
// It is a solitary multi server; descriptors travel with Postfix's
// "dummy" record handshake (protocols.md 2.6). Deliberate differences:
// none known.
package main

import (
	"os"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

func main() {
	var sv *server
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		if len(s.Flags.Args) > 0 {
			s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
		}
		return sv.serve(c)
	}, libmaster.MultiOptions{
		Options: libmaster.Options{
			Solitary: true,
			PostInit: func(s *libmaster.Server) error {
				sv = newServer(s.Log, s.Time("connection_cache_ttl_limit"))
				sv.stats.start(s.Time("connection_cache_status_update_time"))
				s.NoUseLimit()
				return nil
			},
			OnExit: func(s *libmaster.Server) { sv.stats.dump() },
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			return c.Announce(attr.ProtoScache)
		},
	})
}
