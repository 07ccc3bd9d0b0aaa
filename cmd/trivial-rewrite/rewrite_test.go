package main

import (
	"testing"

	"gopostfix/libglobal/util/msg"
)

func TestRewriteAddr(t *testing.T) {
	def := rewriteOpts{swapBangpath: true, percentHack: true, appendAtOrigin: true}
	local := context{origin: "origin.example", domain: "domain.example"}
	tests := []struct {
		opts rewriteOpts
		ctx  context
		in   string
		want string
	}{
		{def, local, "user", "user@origin.example"},
		{def, local, "user@host.", "user@host"},
		{def, local, "host!user", "user@host"},
		{def, local, "a!b!user", "b!user@a"},
		{def, local, "user%a%b", "user%a@b"},
		{def, local, "@a,@b:user@c", "user@c"},
		{def, local, "@", `""`},
		{def, local, `""`, `""`},
		{def, context{}, "user", "user"},
		{rewriteOpts{appendAtOrigin: true, appendDotDomain: true}, local, "user@host", "user@host.domain.example"},
		{rewriteOpts{appendAtOrigin: true, appendDotDomain: true}, local, "user@[1.2.3.4]", "user@[1.2.3.4]"},
		{rewriteOpts{appendAtOrigin: true}, local, "host!user", "host!user@origin.example"},
	}
	for _, tc := range tests {
		r := &rewriter{log: msg.Discard(), opts: tc.opts}
		if got := r.rewriteAddr(&tc.ctx, tc.in); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidHostname(t *testing.T) {
	for name, want := range map[string]bool{
		"example.com": true, "a_b.example": true, "123": false, "1.2.3.4": false,
		"-a.example": false, "a-.example": false, "a..b": false, "a.": false, "": false,
	} {
		if got := validHostname(name); got != want {
			t.Errorf("%q: got %v", name, got)
		}
	}
}
