package agents

import (
	"os"
	"regexp"
	"testing"

	"gopostfix/tests/internal/instance"
)

var virtualFiles = map[string]string{
	"etc/master.cf": baseMasterCF + "virtual   unix  -       n       n       -       -       virtual\n",
	"etc/vmailbox": `box@virt.example virt.example/box
dir@virt.example virt.example/dir/
ext+tag@virt.example virt.example/exttag
ext@virt.example virt.example/ext
mixed@virt.example virt.example/mixed
low@virt.example virt.example/low
@catch.example catch.example/all
`,
	"etc/vuid": "low@virt.example 5\n@virt.example 65534\n@catch.example 65534\n",
}

const virtualMain = `virtual_mailbox_domains = virt.example, catch.example
virtual_mailbox_base = @ROOT@/vmail
virtual_mailbox_maps = hash:@ROOT@/etc/vmailbox
virtual_uid_maps = hash:@ROOT@/etc/vuid
virtual_gid_maps = static:65534
`

var virtualMessages = []message{
	{[]string{"-f", "nobody@mx.delivspec.example", "box@virt.example"}, "Subject: mbox\n\nFrom the start of a line\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "box@virt.example"}, "Subject: second\n\nappended\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "dir@virt.example"}, "Subject: maildir\n\nFrom here\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "ext+tag@virt.example", "ext+other@virt.example"}, "Subject: extensions\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "MiXeD@Virt.Example"}, "Subject: case\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "anyone@catch.example"}, "Subject: catch-all\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "nosuch@virt.example"}, "Subject: unknown\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "low@virt.example"}, "Subject: low uid\n\nbody\n"},
}

// runVirtual feeds the messages to an instance and returns what it did.
func runVirtual(t *testing.T, ours map[string]string) map[string]string {
	in := instance.New(t, instance.Local(virtualMain, virtualFiles, ours))
	for _, tbl := range []string{"etc/vmailbox", "etc/vuid"} {
		in.Run("/usr/sbin/postmap", "-c", in.Path("etc"), in.Path(tbl))
	}
	for _, d := range []string{"vmail/virt.example", "vmail/catch.example"} {
		os.MkdirAll(in.Path(d), 0755)
		os.Chown(in.Path(d), 65534, 65534)
	}
	waits := make([]*regexp.Regexp, len(virtualMessages))
	waits[len(waits)-1] = regexp.MustCompile(`to=<low@virt.example>.*status=deferred`)
	submit(t, in, virtualMessages, waits)
	out := collect(in, "vmail", "spool")
	out["owners"] = owners(in, "vmail")
	out["maillog"] = logLines(in, "postfix/virtual[", "status=bounced", "warning:")
	return out
}

func TestVirtualAgainstReal(t *testing.T) {
	want := runVirtual(t, nil)
	got := runVirtual(t, progs.Map(t, "virtual"))
	compare(t, got, want, 6)
}
