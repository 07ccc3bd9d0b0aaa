// Command tlsmgr is Postfix's TLS session cache and PRNG manager
// (tlsmgr(8) of Postfix 3.7), on private/tlsmgr (protocols.md 2.10):
//
//   - seed: 1-255 random bytes for a client's PRNG;
//   - policy: whether a cache type (smtpd, smtp, lmtp) is enabled
//     ($<type>_tls_session_cache_database with a positive
//     $<type>_tls_session_cache_timeout, at least 120s) and its timeout;
//   - lookup, update, delete: sessions in that cache, a lookup table
//     truncated at start-up, whose values are Postfix's hex-encoded entry
//     (8-byte creation time, then the session), so the files are shared
//     with Postfix's; expired entries are removed every cache timeout;
//   - tktkey: RFC 5077 session ticket keys (16-byte name, 32-byte AES key,
//     32-byte HMAC key, 8-byte expiry), a new one each half of
//     smtpd_tls_session_cache_timeout, the previous one kept for
//     decryption.
//
// The PRNG exchange file tls_random_exchange_name (1024 bytes, locked
// while used) is read and rewritten at start-up and every
// tls_random_prng_update_period. Statuses: 0 ok, -1 not found, -2
// failure (cache type not enabled, bad request).
//
// Deliberate differences: random bytes come from the Go runtime's
// generator (the kernel), so tls_random_source and
// tls_random_reseed_period are not used.
package main

import (
	"os"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

func main() {
	var m *manager
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		if len(s.Flags.Args) > 0 {
			s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
		}
		return m.serve(c, s.Name+" socket")
	}, libmaster.MultiOptions{
		Options: libmaster.Options{
			Solitary: true,
			PreInit:  func(s *libmaster.Server) (err error) { m, err = newManager(s); return err },
			PostInit: func(s *libmaster.Server) error {
				s.NoLimits()
				m.start()
				return nil
			},
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			return c.Announce(attr.ProtoTLSMgr)
		},
	})
}
