// Package stdtypes holds the lookup table types that need no C library:
// the equivalents of Postfix's src/util dict_cdb.c, dict_thash.c,
// dict_ht.c (internal), dict_inline.c, dict_static.c, dict_fail.c,
// dict_env.c, dict_unix.c, dict_cidr.c, dict_pipe.c, dict_union.c,
// dict_random.c, dict_sockmap.c and dict_tcp.c. Register adds them all to
// a Registry.
//
// Deliberate difference: unix:passwd.byname and unix:group.byname read
// /etc/passwd and /etc/group directly instead of going through NSS.
package stdtypes

import (
	"os"

	"gopostfix/libglobal/util/dict"
)

// Register adds every type of this package to r.
func Register(r *dict.Registry) {
	r.Register("internal", openHT)
	r.Register("cdb", openCDB)
	r.RegisterMaker("cdb", makeCDB)
	r.Register("texthash", openTextHash)
	r.Register("inline", openInline)
	r.Register("static", openStatic)
	r.Register("fail", openFail)
	r.RegisterMaker("fail", openFail)
	r.Register("environ", openEnviron)
	r.Register("unix", openUnix)
	r.Register("cidr", openCIDR)
	r.Register("pipemap", openPipe)
	r.Register("unionmap", openUnion)
	r.Register("randmap", openRandom)
	r.Register("socketmap", openSocketmap)
	r.Register("tcp", openTCP)
}

// requireReadOnly is the check of types that cannot be written.
func requireReadOnly(req dict.OpenRequest) error {
	if req.Mode != os.O_RDONLY {
		return dict.Configf("%s:%s map requires O_RDONLY access mode", req.Type, req.Name)
	}
	return nil
}
