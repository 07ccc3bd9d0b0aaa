package flow

import (
	"strings"
	"testing"

	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/msg"
)

// rewriteConfigs are the main.cf variants the resolver is compared under.
var rewriteConfigs = []struct {
	name  string
	main  string
	files map[string]string
}{
	{name: "defaults"},
	{name: "classes", main: `virtual_mailbox_domains = virt.example
virtual_alias_domains = valias.example
relay_domains = relay.example, .relaysub.example
transport_maps = texthash:@ROOT@/etc/transport
relocated_maps = inline:{ moved@mx.flow.example=new@else.example }
recipient_delimiter = +
`, files: map[string]string{"transport": `pipe.example discard:
err.example error:nope
.sub.example smtp:[relay.sub.example]:25
user+x@t.example local:
hop.example :[hop.host]
`}},
	{name: "relayhost", main: `relayhost = [smarthost.example]:587
append_dot_mydomain = yes
swap_bangpath = no
allow_percent_hack = no
remote_header_rewrite_domain = remote.example
sender_dependent_relayhost_maps = inline:{ alice@mx.flow.example=[alice.relay] }
resolve_numeric_domain = yes
`},
	{name: "oddities", main: `empty_address_recipient = postmaster
append_at_myorigin = no
resolve_dequoted_address = no
allow_min_user = yes
mydestination = $myhostname, localhost, [127.0.0.1]
transport_maps = inline:{ *=relay:wild.example }
`},
}

// rewriteInputs are addresses sent to both servers, in both contexts.
var rewriteInputs = []string{
	"user", "user@host", "user@host.", "user@host.example", "user@sub", "@", `""`, "",
	"host!user", "a!b!user", "user%host", "user%a%b", "@a,@b:user@c", "@a:user",
	"user@[1.2.3.4]", "user@1.2.3.4", "user@localhost", "User@MX.FLOW.EXAMPLE",
	`"quoted user"@host`, `"a@b"@mx.flow.example`, "first.last@example.com",
	"user@mx.flow.example@elsewhere.example", "user%other.example@mx.flow.example",
	"other.example!user@localhost", "user+ext@t.example", "user+x@t.example",
	"root", "MAILER-DAEMON", "-dash@mx.flow.example", "u@virt.example", "u@valias.example",
	"a@relay.example", "a@x.relaysub.example", "a@relaysub.example", "x@pipe.example",
	"a@err.example", "a@y.sub.example", "a@hop.example", "moved", "moved@mx.flow.example",
	"bad address@@x", "user@bad_domain-.example", "user@[ipv6:::1]", "user@[127.0.0.1]",
	"user@-bad.example", "user@", "a.@b", "x@123", "user@exa..mple",
}

func TestRewriteResolveAgainstReal(t *testing.T) {
	for _, cf := range rewriteConfigs {
		t.Run(cf.name, func(t *testing.T) {
			master := baseMasterCF + "gorewrite unix  -       -       n       -       -       gorewrite -v\n"
			in := newInstance(t, cf.main, master, map[string]string{"gorewrite": ours.Path(t, "trivial-rewrite")}, cf.files)
			realc := rewrite.NewClient(in.Path("queue"), "rewrite", msg.Discard())
			ourc := rewrite.NewClient(in.Path("queue"), "gorewrite", msg.Discard())
			defer realc.Close()
			defer ourc.Close()
			for _, addr := range rewriteInputs {
				for _, ctx := range []string{rewrite.ContextLocal, rewrite.ContextRemote} {
					if addr == "" {
						continue // the real server logs a warning; compared below as resolve input
					}
					want, err1 := realc.Rewrite(ctx, addr)
					got, err2 := ourc.Rewrite(ctx, addr)
					if err1 != nil {
						t.Fatalf("real rewrite: %v", err1)
					}
					if err2 != nil || want != got {
						t.Errorf("rewrite %s %q: real %q (%v), ours %q (%v)", ctx, addr, want, err1, got, err2)
					}
				}
				for _, sender := range []string{"", "alice@mx.flow.example"} {
					want, err1 := realc.Resolve(sender, addr)
					got, err2 := ourc.Resolve(sender, addr)
					if err1 != nil {
						t.Fatalf("real resolver: %v", err1)
					}
					if err2 != nil || want != got {
						t.Errorf("resolve %q from %q:\nreal %+v (%v)\nours %+v (%v)", addr, sender, want, err1, got, err2)
					}
				}
				want, err1 := realc.Verify("", addr)
				got, err2 := ourc.Verify("", addr)
				if err1 != nil || err2 != nil || want != got {
					t.Errorf("verify %q: real %+v, ours %+v", addr, want, got)
				}
			}
			if !strings.Contains(in.Maillog(), "gorewrite[") {
				t.Errorf("our trivial-rewrite did not run:\n%s", in.Maillog())
			}
		})
	}
}
