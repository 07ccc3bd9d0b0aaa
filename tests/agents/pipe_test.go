package agents

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"gopostfix/tests/internal/instance"
)

// captureScript records its arguments, working directory, identity,
// environment and input in the file named by $1, prints $3 and exits with
// $2 ("-" writes nothing).
const captureScript = `#!/bin/sh
out=$1; code=$2; text=$3; shift 3
if [ "$out" != - ]; then
  {
    echo "argc: $#"
    for a in "$@"; do echo "arg: [$a]"; done
    echo "pwd: $(pwd)"
    echo "ids: $(id -u) $(id -g) $(id -G)"
    env | grep -v '^_=' | sort
    echo "--- input"
    cat
    echo "--- end"
  } >> "$out"
fi
[ -n "$text" ] && printf '%s\n' "$text"
exit $code
`

// pipeServices are the pipe(8) entries, one per behaviour; each is the
// transport of the domain NAME.example.
var pipeServices = []struct{ name, args string }{
	{"pok", "flags=DRFO.> user=nobody argv=@ROOT@/etc/capture @ROOT@/out/pok 0 {all good}  $sender ${recipient} $(original_recipient) $user $extension $mailbox $domain $nexthop $size ${queue_id} $client_address $client_protocol $$literal"},
	{"pmulti", "flags=Bhqu user=nobody:nogroup directory=/tmp eol=\\r\\n null_sender= argv=@ROOT@/etc/capture @ROOT@/out/pmulti 0 {} -f $sender -- $recipient x$user x$extension $domain $nexthop"},
	{"pfinal", "flags=XR user=nobody argv=@ROOT@/etc/capture - 0 {}"},
	{"pbounce", "user=nobody argv=@ROOT@/etc/capture - 67 {}"},
	{"pdsn", "user=nobody argv=@ROOT@/etc/capture - 1 {5.7.1 go\taway}"},
	{"pdie", "user=nobody argv=@ROOT@/etc/capture - 3 {some output}"},
	{"psize", "size=10 user=nobody argv=@ROOT@/etc/capture - 0 {}"},
	{"ploop", "flags=D user=nobody argv=@ROOT@/etc/capture - 0 {}"},
	{"pslow", "user=nobody argv=/bin/sleep 30"},
	{"pdefer", "user=nobody argv=@ROOT@/etc/capture - 75 {try again later}"},
	{"pmacro", "user=nobody argv=@ROOT@/etc/capture - 0 {} $bogus"},
	{"pnoexec", "user=nobody argv=@ROOT@/nonexistent $recipient"},
	{"pnodir", "user=nobody directory=@ROOT@/nonexistent argv=@ROOT@/etc/capture - 0 {}"},
	{"pmultid", "flags=D user=nobody argv=@ROOT@/etc/capture - 0 {}"},
}

// pipeDone are the messages that finish; pipeDeferred stay queued, so
// they are sent last, each waited for by its log line.
var pipeDone = []message{
	{[]string{"-f", "nobody@mx.delivspec.example", "who+ext@pok.example"}, "Subject: pipe ok\n\n.leading dot\nFrom quoted\n"},
	{[]string{"-f", "", "A+x@pmulti.example", "b@PMulti.Example", "\"x y\"@pmulti.example"}, "Subject: multi\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pfinal.example"}, "Subject: final\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pbounce.example"}, "Subject: bounce\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pdsn.example"}, "Subject: dsn\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pdie.example"}, "Subject: die\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@psize.example"}, "Subject: size\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@ploop.example"}, "Subject: loop\nDelivered-To: X@PLoop.example\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pslow.example"}, "Subject: slow\n\nbody\n"},
}

var pipeDeferred = []message{
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pdefer.example"}, "Subject: defer\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pmacro.example"}, "Subject: macro\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pnoexec.example"}, "Subject: noexec\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pnodir.example"}, "Subject: nodir\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "x@pmultid.example", "y@pmultid.example"}, "Subject: multi D\n\nbody\n"},
}

func pipeFiles() map[string]string {
	var master, transport strings.Builder
	master.WriteString(baseMasterCF)
	for _, s := range pipeServices {
		fmt.Fprintf(&master, "%s unix - n n - - pipe\n  %s\n", s.name, s.args)
		fmt.Fprintf(&transport, "%s.example %s:\n", s.name, s.name)
	}
	return map[string]string{"etc/master.cf": master.String(), "etc/transport": transport.String(),
		"etc/capture": captureScript}
}

const pipeMain = `pok_destination_recipient_limit = 1
pslow_time_limit = 2s
`

func runPipe(t *testing.T, ours map[string]string) map[string]string {
	in := instance.New(t, instance.Local(pipeMain, pipeFiles(), ours))
	os.Chmod(in.Path("etc/capture"), 0755)
	submit(t, in, pipeDone, nil)
	waits := make([]*regexp.Regexp, len(pipeDeferred))
	for i, m := range pipeDeferred {
		waits[i] = regexp.MustCompile(regexp.QuoteMeta("to=<"+m.args[2]+">") + `.*status=deferred`)
	}
	submit(t, in, pipeDeferred, waits)
	out := collect(in, "out", "spool")
	out["maillog"] = uniqueLines(logLines(in, "postfix/pipe[", "status=bounced"))
	return out
}

// uniqueLines drops repeated lines (deferred mail is retried).
func uniqueLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if len(out) == 0 || out[len(out)-1] != l {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestPipeAgainstReal(t *testing.T) {
	want := runPipe(t, nil)
	got := runPipe(t, progs.Map(t, "pipe"))
	compare(t, got, want, 4)
}
