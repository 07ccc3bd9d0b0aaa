package main

import (
	"os"

	"gopostfix/libglobal/mailstream"
)

// checkACL lets root and mail_owner through; anyone else must match the
// access list parameter acl. what says what was denied.
func (p *pq) checkACL(param, what string) {
	uid := os.Getuid()
	if uid == 0 || uid == p.g.OwnerUID {
		return
	}
	name, ok, err := mailstream.UserACL(p.registry(), param, p.str(param), uid, p.log)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	if !ok {
		p.log.Fatalf("User %s(%d) is not allowed to %s", name, uid, what)
	}
}
