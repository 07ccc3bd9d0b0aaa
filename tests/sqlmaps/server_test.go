package sqlmaps

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// Ports: the server's, and one where nothing listens.
const (
	serverPort = "34500"
	deadPort   = "34599"
)

// startTimeout bounds the server's installation and start-up.
const startTimeout = 60 * time.Second

var ours = instance.NewPrograms("postmap", "proxymap", "trivial-rewrite", "cleanup")

// server is the MariaDB server of the test run.
type server struct {
	dir    string // data, socket and table configurations
	socket string
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process ends
}

// srv is set by TestMain; nil (with skipReason) when the server could
// not be started because its programs are missing.
var (
	srv        *server
	skipReason string
)

func TestMain(m *testing.M) {
	code := run(m)
	ours.Remove()
	os.Exit(code)
}

func run(m *testing.M) int {
	pg, err := startPg()
	switch {
	case errors.Is(err, exec.ErrNotFound):
		pgSkip = err.Error()
	case err != nil:
		fmt.Fprintln(os.Stderr, "sqlmaps:", err)
		return 1
	default:
		pgSrv = pg
		defer pg.stop()
	}
	s, err := startServer()
	if errors.Is(err, exec.ErrNotFound) {
		skipReason = err.Error()
		return m.Run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlmaps:", err)
		return 1
	}
	srv = s
	defer s.stop()
	return m.Run()
}

// need skips the test when the server or the real table type is missing.
func need(t *testing.T) *server {
	t.Helper()
	if srv == nil {
		t.Skipf("no MariaDB server: %s (install mariadb-server)", skipReason)
	}
	if _, err := os.Stat("/usr/lib/postfix/postfix-mysql.so"); err != nil {
		t.Skip("no real mysql table type (install postfix-mysql)")
	}
	return srv
}

// setupSQL is the database the cases query.
const setupSQL = `
CREATE DATABASE mail;
CREATE USER 'pf'@'localhost' IDENTIFIED BY 'secret';
CREATE USER 'pf'@'127.0.0.1' IDENTIFIED BY 'secret';
GRANT SELECT ON mail.* TO 'pf'@'localhost';
GRANT SELECT ON mail.* TO 'pf'@'127.0.0.1';
USE mail;
CREATE TABLE domains (domain VARCHAR(100) PRIMARY KEY);
INSERT INTO domains VALUES ('example.com'), ('example.org');
CREATE TABLE aliases (source VARCHAR(100), dest VARCHAR(200), prio INT);
INSERT INTO aliases VALUES
 ('a@example.com', 'b@example.com', 1),
 ('multi@example.com', 'x@example.org', 1),
 ('multi@example.com', 'y@example.org', 2),
 ('multi@example.com', 'z@example.org', 3),
 ('q''uote@example.com', 'quoted@example.com', 1),
 ('back\\slash@example.com', 'backslash@example.com', 1),
 ('empty@example.com', '', 1),
 ('null@example.com', NULL, 1),
 ('nodomain@example.com', 'justuser', 1),
 ('atfirst@example.com', '@example.net', 1),
 ('%s@example.com', 'percent@example.com', 1),
 ('sub.deep.example.com', 'labels', 1),
 ('info@example.org', 'root@localhost', 1);
CREATE TABLE users (name VARCHAR(100), domain VARCHAR(100), maildir VARCHAR(200));
INSERT INTO users VALUES ('alice', 'example.com', 'example.com/alice/'), ('bob', 'example.org', 'example.org/bob/');
`

// startServer installs a data directory and starts mariadbd on a
// socket in it and on serverPort, then loads setupSQL.
func startServer() (*server, error) {
	for _, p := range []string{"mariadb-install-db", "mariadbd", "mariadb"} {
		if _, err := exec.LookPath(p); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "sqlmaps")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0755)
	s := &server{dir: dir, socket: filepath.Join(dir, "sock")}
	deadline := time.Now().Add(startTimeout)
	install := exec.Command("mariadb-install-db", "--no-defaults", "--datadir="+dir+"/data",
		"--auth-root-authentication-method=normal", "--skip-test-db", "--user=root")
	if out, err := runBounded(install, deadline); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("mariadb-install-db: %v\n%s", err, out)
	}
	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer log.Close()
	s.cmd = exec.Command("mariadbd", "--no-defaults", "--datadir="+dir+"/data", "--socket="+s.socket,
		"--port="+serverPort, "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin",
		"--skip-name-resolve", "--pid-file="+dir+"/pid")
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.exited = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.exited) }()
	if err := waitReady(s.socket, s.exited, deadline); err != nil {
		text, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		s.stop()
		return nil, fmt.Errorf("mariadbd: %v:\n%s", err, text)
	}
	client := exec.Command("mariadb", "--no-defaults", "-S", s.socket, "-uroot")
	client.Stdin = bytes.NewBufferString(setupSQL)
	if out, err := runBounded(client, deadline); err != nil {
		s.stop()
		return nil, fmt.Errorf("loading the database: %v\n%s", err, out)
	}
	return s, nil
}

// runBounded runs cmd, killing it at the deadline.
func runBounded(cmd *exec.Cmd, deadline time.Time) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(time.Until(deadline)):
		cmd.Process.Kill()
		<-done
		return out.Bytes(), fmt.Errorf("%s: timed out", cmd.Path)
	}
}

// stop ends the server and removes its directory.
func (s *server) stop() {
	if s.exited != nil {
		s.cmd.Process.Kill()
		<-s.exited
	}
	os.RemoveAll(s.dir)
}
