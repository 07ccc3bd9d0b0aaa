// Command verify is Postfix's address verification server (verify(8)).
// smtpd asks it whether an address is deliverable (reject_unverified_
// sender/recipient, "sendmail -bv"-style probes); it answers from its
// cache, address_verify_map (btree:$data_directory/verify_cache by
// default, an in-memory table when empty), and when an answer is missing
// or due for refresh it sends a probe message through cleanup(8) from
// address_verify_sender (the double-bounce address by default, with a
// time stamp when address_verify_sender_ttl is set). The delivery agents
// report the probe's fate back with update requests.
//
// Cache entries are "status:probed:updated:text". Positive results
// expire after address_verify_positive_expire_time and are refreshed
// after address_verify_positive_refresh_time; negative ones use the
// negative_* times and are kept only with address_verify_negative_cache.
// A probe in flight blocks new probes for 1000 seconds. Every
// address_verify_cache_cleanup_interval the cache is walked and expired
// entries are removed, one entry at a time between requests.
//
// It speaks the protocol announced as "address_verification_prrotocol"
// (sic) on private/verify: query (address) answered with status,
// recipient_status and reason; update (address, recipient_status, reason)
// answered with status.
//
// Deliberate differences: none known. The cache cleanup runs in its own
// goroutine, serialised with the requests.
package main

import (
	"os"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

func main() {
	var v *verifier
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		return v.serve(c)
	}, libmaster.MultiOptions{
		Options: libmaster.Options{
			Solitary: true,
			PreInit: func(s *libmaster.Server) (err error) {
				v, err = newVerifier(s)
				return err
			},
			PostInit: func(s *libmaster.Server) error { return v.postInit() },
			OnExit:   func(s *libmaster.Server) { v.close() },
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error { return c.Announce(attr.ProtoVerify) },
	})
}
