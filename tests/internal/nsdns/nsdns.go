// Package nsdns is a name server for black-box tests that compare the
// real Postfix programs with ours: both must get the same answers, and
// the real ones ask glibc's resolver, which reads /etc/resolv.conf and
// port 53. The test binary runs itself again as the server inside a new
// network namespace (unshare -n, loopback up, 127.0.0.1:53 over UDP and
// TCP), and Wrapper makes scripts that run a daemon in that namespace
// with a private mount namespace whose /etc/resolv.conf names it.
// Listening sockets still come from master outside the namespace, so
// clients connect on the host's loopback; unix sockets are paths,
// reachable from both sides.
//
// A test package calls ServeIfHelper first thing in TestMain, then
// Start when it needs the server (as root).
package nsdns

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// zoneEnv makes the test binary the server; its value is the records
// file.
const zoneEnv = "GOPOSTFIX_TEST_DNS_ZONE"

// startLimit bounds the wait for the server to listen.
const startLimit = 10 * time.Second

// Server is a running name server process.
type Server struct {
	cmd    *exec.Cmd
	dir    string
	resolv string // resolv.conf naming the server
}

// ServeIfHelper turns this process into the name server when it was
// started as one by Start: it serves until it is killed and never
// returns. Otherwise it returns at once.
func ServeIfHelper() {
	if path := os.Getenv(zoneEnv); path != "" {
		serve(path)
	}
}

// Start runs the server with records (one resource record a line, in
// zone-file form; see serve for the answers) and waits until it
// listens.
func Start(records []string) (*Server, error) {
	dir, err := os.MkdirTemp("", "gopfxdns")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0755)
	d := &Server{dir: dir, resolv: filepath.Join(dir, "resolv.conf")}
	zone := filepath.Join(dir, "zone")
	if err := os.WriteFile(zone, []byte(strings.Join(records, "\n")+"\n"), 0644); err != nil {
		d.Stop()
		return nil, err
	}
	if err := os.WriteFile(d.resolv, []byte("nameserver 127.0.0.1\noptions timeout:2 attempts:1\n"), 0644); err != nil {
		d.Stop()
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		d.Stop()
		return nil, err
	}
	d.cmd = exec.Command("unshare", "-n", "--", "sh", "-c", `ip link set lo up && exec "$0" -test.run='^$'`, self)
	d.cmd.Env = append(os.Environ(), zoneEnv+"="+zone)
	d.cmd.Stderr = os.Stderr
	out, err := d.cmd.StdoutPipe()
	if err != nil {
		d.Stop()
		return nil, err
	}
	if err := d.cmd.Start(); err != nil {
		d.Stop()
		return nil, err
	}
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line)
	}()
	select {
	case line := <-ready:
		if line != "ready" {
			d.Stop()
			return nil, fmt.Errorf("DNS helper did not start (%q)", line)
		}
	case <-time.After(startLimit):
		d.Stop()
		return nil, fmt.Errorf("DNS helper did not start within %v", startLimit)
	}
	return d, nil
}

// StartT is Start for one test: a failure fails it, and the server
// stops when it ends.
func StartT(t testing.TB, records []string) *Server {
	t.Helper()
	d, err := Start(records)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return d
}

// Stop kills the server by its exact pid and removes its files.
func (d *Server) Stop() {
	if d.cmd != nil && d.cmd.Process != nil {
		d.cmd.Process.Signal(syscall.SIGKILL)
		d.cmd.Wait()
	}
	os.RemoveAll(d.dir)
}

// Wrapper writes a script, called name in a directory of the test's,
// that runs binary in the server's network namespace with the private
// resolv.conf mounted over /etc/resolv.conf, under the process name
// name.
func (d *Server) Wrapper(t testing.TB, binary, name string) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0755)
	path := filepath.Join(dir, name)
	script := fmt.Sprintf("#!/bin/bash\nexec nsenter --net=/proc/%d/ns/net -- unshare -m -- "+
		"/bin/bash -c 'mount --bind \"$0\" /etc/resolv.conf && exec -a %s \"$1\" \"${@:2}\"' %s %s \"$@\"\n",
		d.cmd.Process.Pid, name, d.resolv, binary)
	if err := os.WriteFile(path, []byte(script), 0755); err != nil {
		t.Fatal(err)
	}
	return path
}
