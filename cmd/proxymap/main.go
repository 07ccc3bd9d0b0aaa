// Command proxymap is Postfix's lookup table proxy server (proxymap(8)):
// as "proxymap" it answers open, lookup and sequence requests for the
// tables listed as proxy:type:name in proxy_read_maps; as "proxywrite"
// (the same program with -n proxywrite) it also answers update and
// delete requests for the tables in proxy_write_maps. It speaks the 3.7
// protocol on private/proxymap and private/proxywrite: announcement
// "proxymap_protocol", requests with table, flags and key (no
// instance_flags), replies with a status (0 ok, 1 no key, 2 retry, 3 bad
// request, 4 table not approved, 5 configuration error).
//
// Tables are opened once per name and instance flags and shared by all
// clients. A read-only proxymap exits between clients when a table file
// changed, so that master starts a fresh one.
package main

import (
	"os"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

func main() {
	var p *proxy
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		return p.serve(c)
	}, libmaster.MultiOptions{
		Options: libmaster.Options{
			PostInit: func(s *libmaster.Server) error {
				reg := maptypes.NewRegistry(s.Log)
				reg.AllowSurrogate = true
				var err error
				p, err = newProxy(s, reg)
				return err
			},
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			p.preAccept()
			return c.Announce(Protocol)
		},
	})
}
