package interop2

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// spawnCF runs commands through spawn as user nobody: a filter that shows
// its identity, arguments, environment and input; failing, signalled, slow
// and missing commands; and entries with bad attributes.
const spawnCF = `echo      unix  -       n       n       -       0       spawn
  user=nobody argv=@ROOT@/echo.sh first "second arg"
fail      unix  -       n       n       -       0       spawn user=nobody:nogroup argv=@ROOT@/fail.sh
signal    unix  -       n       n       -       0       spawn user=nobody argv=@ROOT@/signal.sh
slow      unix  -       n       n       -       0       spawn user=nobody argv=@ROOT@/slow.sh
missing   unix  -       n       n       -       0       spawn user=nobody argv=no-such-command
rootcmd   unix  -       n       n       -       0       spawn user=root argv=/bin/true
badattr   unix  -       n       n       -       0       spawn user=nobody bogus=1 argv=/bin/true
nouser    unix  -       n       n       -       0       spawn argv=/bin/true
`

var spawnScripts = map[string]string{
	"echo.sh":   "#!/bin/sh\nid\necho \"args: $*\"\nenv | sort\nread line\necho \"got: $line\"\n",
	"fail.sh":   "#!/bin/sh\nid -gn\nexit 3\n",
	"signal.sh": "#!/bin/sh\necho bye\nkill -TERM $$\n",
	"slow.sh":   "#!/bin/sh\necho slow\nsleep 30\n",
}

// TestSpawnRealVsOurs runs the same spawn services with the real spawn and
// with ours under the real master: what a client reads back and the log.
func TestSpawnRealVsOurs(t *testing.T) {
	var results [2][]string
	for i, side := range []string{"real", "ours"} {
		files := map[string]string{"etc/master.cf": masterCF + spawnCF}
		for name, body := range spawnScripts {
			files[name] = body
		}
		in := newInstance(t, side, "spawn", "slow_time_limit = 2s\nexport_environment = TZ MAIL_CONFIG LANG FOO=bar\n", files)
		for name := range spawnScripts {
			os.Chmod(in.Path(name), 0o755)
		}
		q := in.Path("queue/private/")
		for _, svc := range []string{"echo", "fail", "signal", "slow", "missing", "rootcmd", "badattr", "nouser"} {
			got := oneShotTimeout(t, q+"/"+svc, []byte("request=smtpd_access_policy\n\n"), 6*time.Second)
			results[i] = append(results[i], fmt.Sprintf("%s: %s", svc, strings.ReplaceAll(got, in.Root, "@ROOT@")))
		}
		instance.WaitFor(10*time.Second, func() bool { return strings.Contains(in.Maillog(), "time limit exceeded") })
		time.Sleep(500 * time.Millisecond)
		// Each service is its own process: the order of their lines is
		// not comparable, the lines are.
		pid := regexp.MustCompile(`process id \d+`)
		lines := strings.Split(pid.ReplaceAllString(logLines(in, "spawn"), "process id N"), "\n")
		sort.Strings(lines)
		results[i] = append(results[i], "log:\n"+strings.Join(lines, "\n"))
		in.Stop()
	}
	for k := range results[0] {
		if results[0][k] != results[1][k] {
			t.Errorf("step %d differs\nreal: %s\nours: %s", k, results[0][k], results[1][k])
		}
	}
}
