package instance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// RunTimeout bounds every command an instance runs.
const RunTimeout = time.Minute

// Run runs a command with MAIL_CONFIG set to the instance and returns
// its combined output; failure fails the test. A name without a slash
// is the instance's program of that name (ours or the real one).
func (in *Instance) Run(name string, args ...string) string {
	in.t.Helper()
	out, err := in.RunInput("", name, args...)
	if err != nil {
		in.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// RunInput runs a command with stdin, at most RunTimeout, and returns
// its combined output.
func (in *Instance) RunInput(stdin, name string, args ...string) (string, error) {
	if !strings.Contains(name, "/") {
		name = in.commandPath(name)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "MAIL_CONFIG="+in.Path("etc"), "TZ=UTC")
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return buf.String(), err
	case <-time.After(RunTimeout):
		cmd.Process.Kill()
		<-done
		return buf.String(), fmt.Errorf("timed out after %v", RunTimeout)
	}
}

// commandPath resolves a program name through the instance's
// command_directory, then its daemon_directory.
func (in *Instance) commandPath(name string) string {
	for _, dir := range []string{"bin", "libexec"} {
		if p := in.Path(filepath.Join(dir, name)); exists(p) {
			return p
		}
	}
	return in.Program(name)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Send submits a message with the instance's sendmail (-C the
// instance's etc); failure fails the test.
func (in *Instance) Send(message string, args ...string) {
	in.t.Helper()
	out, err := in.RunInput(message, "sendmail", append([]string{"-C", in.Path("etc")}, args...)...)
	if err != nil {
		in.t.Fatalf("sendmail %v: %v\n%s", args, err, out)
	}
}

// Postqueue runs the instance's postqueue with -c and args.
func (in *Instance) Postqueue(args ...string) string {
	in.t.Helper()
	return in.Run("postqueue", append([]string{"-c", in.Path("etc")}, args...)...)
}

// Postsuper runs the instance's postsuper with -c and args.
func (in *Instance) Postsuper(args ...string) string {
	in.t.Helper()
	return in.Run("postsuper", append([]string{"-c", in.Path("etc")}, args...)...)
}
