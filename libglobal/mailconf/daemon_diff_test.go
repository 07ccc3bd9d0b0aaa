package mailconf

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// daemonCases are main.cf texts (@DIR@ is the configuration directory)
// that every Postfix program checks at start-up (mail_params_init).
var daemonCases = []string{
	"",
	"soft_bounce = maybe",
	"ipc_timeout = 4x",
	"daemon_timeout = 0",
	"in_flow_delay = 11",
	"line_length_limit = 10",
	"line_length_limit = 12x",
	"hash_queue_depth = 99999999999",
	"message_size_limit = abc",
	"myorigin =",
	"default_verp_delimiters = +=x",
	"default_verp_delimiters = +~",
	"smtputf8_enable = maybe",
	"myorigin = ${foo",
	"mydomain = $mydomain",
	"myorigin = ${{$compatibility_level} <level {x} ? {a}}",
	"compatibility_level = 3.x",
	"compatibility_level = 3.6\nsmtputf8_enable = $compatibility_level",
	"syslog_facility = bogus",
	"syslog_facility = local3",
	"inet_protocols = ipv5",
	"myhostname = bad_host..x",
	"myhostname = 1.2.3.4",
	"myhostname = -a.example",
	"mydomain = ex%ample.com",
	"myorigin = a b",
	"myorigin = @DIR@/empty",
	"myorigin = @DIR@/mailname",
	"myorigin = @DIR@/missing",
	"myorigin = @DIR@",
	"relayhost = $myhostname",
	"relayhost = VM.LocalDomain",
	"mail_owner = nosuchuser",
	"mail_owner = root",
	"default_privs = postfix",
	"default_privs = root",
	"setgid_group = nosuchgroup",
	"setgid_group = root",
	"setgid_group = postfix",
	"mynetworks_style = bogus",
	"inet_interfaces = 192.0.2.99",
}

// TestCheckGlobalMatchesPostfixPrograms runs a real Postfix program
// (postmap) with each main.cf and compares its diagnostics with what
// CheckGlobal logs and returns.
func TestCheckGlobalMatchesPostfixPrograms(t *testing.T) {
	dirs := make([]string, len(daemonCases))
	want := make([]string, len(daemonCases))
	for i, text := range daemonCases {
		dirs[i] = t.TempDir()
		write(t, filepath.Join(dirs[i], "main.cf"), strings.ReplaceAll(text, "@DIR@", dirs[i])+"\n")
		write(t, filepath.Join(dirs[i], "empty"), "")
		write(t, filepath.Join(dirs[i], "mailname"), "  example.com \nsecond\n")
	}
	// A fatal Postfix program sleeps a second before it exits: run them
	// side by side.
	concurrently(len(daemonCases), func(i int) {
		cmd := exec.Command("/usr/sbin/postmap", "-c", dirs[i], "-q", "x", "texthash:/dev/null")
		cmd.Args[0] = "postmap"
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			want[i] = fmt.Sprintf("real postmap (Postfix 3.7.11 must be installed): %v", err)
			return
		}
		want[i] = strings.ReplaceAll(stderr.String(), "postmap: ", "")
	})
	for i, text := range daemonCases {
		capture := &msg.Capture{}
		c, err := Load(dirs[i], msg.New(capture))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CheckGlobal()
		got := capture.String()
		if err != nil {
			got += "fatal: " + err.Error() + "\n"
		}
		if got != want[i] {
			t.Errorf("main.cf %q:\nreal:\n%sours:\n%s", text, want[i], got)
		}
	}
}

// concurrently calls f(0..n-1) with at most 16 calls at a time and waits.
func concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, 16)
	for i := 0; i < n; i++ {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			f(i)
			<-slots
		}()
	}
	wg.Wait()
}
