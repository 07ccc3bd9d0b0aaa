package main

import (
	"strings"
	"testing"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

// mapParams are configuration parameters for tests; unset ones are
// empty or false.
type mapParams map[string]string

func (p mapParams) Str(name string) string { return p[name] }
func (p mapParams) Bool(name string) bool  { return p[name] == "yes" }

// TestWildcardAtStart: as transport_post_init, the "*" entry of both
// transport tables is looked up once the daemon runs, so a table that
// cannot be searched is reported at start-up (the real trivial-rewrite
// logs 'TABLE lookup error for "*"' before any request).
func TestWildcardAtStart(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       []string
	}{
		{"failing table", "fail:broken", []string{`warning: fail:broken lookup error for "*"`}},
		{"no table", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c msg.Capture
			log := msg.New(&c)
			reg := dict.NewRegistry(log)
			stdtypes.Register(reg)
			reg.AllowSurrogate = true
			p := mapParams{"transport_maps": tc.spec, "address_verify_transport_maps": tc.spec}
			r, err := newRewriter(p, reg, log, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			r.loadWildcards()
			got := c.String()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("log:\n%s\nwant %q", got, w)
				}
			}
			if len(tc.want) == 0 && got != "" {
				t.Errorf("log:\n%s\nwant nothing", got)
			}
			for _, rc := range []resolveContext{r.regular, r.verify} {
				if rc.transport != nil && (!rc.transport.wildcardReady || rc.transport.wildErr == nil) {
					t.Errorf("wildcard not loaded, or its failure not kept: %+v", rc.transport)
				}
			}
		})
	}
}
