package mailconf

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// daemonCases are main.cf settings that every Postfix program reads at
// start-up (mail_params_init), with the getter a Go program would call.
var daemonCases = []struct {
	setting string
	get     func(*Config) error
}{
	{"soft_bounce = maybe", boolOf("soft_bounce")},
	{"ipc_timeout = 4x", timeOf("ipc_timeout")},
	{"daemon_timeout = 0", timeOf("daemon_timeout")},
	{"in_flow_delay = 11", timeOf("in_flow_delay")},
	{"line_length_limit = 10", intOf("line_length_limit")},
	{"line_length_limit = 12x", intOf("line_length_limit")},
	{"hash_queue_depth = 99999999999", intOf("hash_queue_depth")},
	{"message_size_limit = abc", longOf("message_size_limit")},
	{"myorigin =", strOf("myorigin")},
	{"default_verp_delimiters = +=x", strOf("default_verp_delimiters")},
	{"smtputf8_enable = maybe", boolOf("smtputf8_enable")},
	{"myorigin = ${foo", strOf("myorigin")},
	{"mydomain = $mydomain", strOf("mydomain")},
	{"myorigin = ${{$compatibility_level} <level {x} ? {a}}", strOf("myorigin")},
}

// TestErrorsMatchPostfixPrograms runs a real Postfix program (postmap)
// with each bad setting and compares its diagnostics with the getter's
// logged warnings and returned error.
func TestErrorsMatchPostfixPrograms(t *testing.T) {
	for i, tc := range daemonCases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel() // a fatal Postfix program sleeps a second before exiting
			dir := t.TempDir()
			write(t, filepath.Join(dir, "main.cf"), tc.setting+"\n")
			cmd := exec.Command("/usr/sbin/postmap", "-c", dir, "-q", "x", "texthash:/dev/null")
			cmd.Args[0] = "postmap"
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err == nil {
				t.Fatalf("%s: real postmap succeeded", tc.setting)
			}
			capture := &msg.Capture{}
			c, err := Load(dir, msg.New(capture))
			if err != nil {
				t.Fatal(err)
			}
			err = tc.get(c)
			if err == nil {
				t.Fatalf("%s: no error", tc.setting)
			}
			got := capture.String() + "fatal: " + err.Error() + "\n"
			want := strings.ReplaceAll(stderr.String(), "postmap: ", "")
			if got != want {
				t.Errorf("%s:\nreal:\n%sours:\n%s", tc.setting, want, got)
			}
		})
	}
}
