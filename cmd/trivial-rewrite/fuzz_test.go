package main

import (
	"strings"
	"testing"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// FuzzResolve feeds untrusted addresses to the rewrite and resolve code:
// no panic, and a resolved recipient always has a domain unless the
// request failed.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"user", "user@host", "@a,@b:u@c", "a!b!c", "u%v%w", `"a@b"@x`, "@", `""`,
		"u@[1.2.3.4]", "u@localhost@x", "x@y.", "\"unterminated", "(comment) u@h", "<u@h>"} {
		f.Add(s)
	}
	reg := dict.NewRegistry(msg.Discard())
	dest, err := maps.NewMatchList(reg, "mydestination", "localhost, mx.example", maps.StringList, false, msg.Discard())
	if err != nil {
		f.Fatal(err)
	}
	local := &maps.Local{Dest: dest}
	r := &rewriter{
		log:        msg.Discard(),
		opts:       rewriteOpts{swapBangpath: true, percentHack: true, appendAtOrigin: true},
		localCtx:   context{origin: "mx.example", domain: "example"},
		myhostname: "mx.example", emptyAddr: "MAILER-DAEMON", resolveDequoted: true,
		local: local, addrEnv: &maps.AddrEnv{IsLocal: local.Match},
	}
	r.regular = resolveContext{localTransport: param{"local_transport", "local:$myhostname"},
		virtTransport: param{"virtual_transport", "virtual"}, relayTransport: param{"relay_transport", "relay"},
		defTransport: param{"default_transport", "smtp"}}
	f.Fuzz(func(t *testing.T, addr string) {
		r.rewriteAddr(&r.localCtx, addr)
		res := r.resolveAddr(&r.regular, "", addr)
		if res.flags&rewrite.FlagFail == 0 && !strings.Contains(res.recipient, "@") {
			t.Errorf("%q: recipient %q without domain", addr, res.recipient)
		}
	})
}
