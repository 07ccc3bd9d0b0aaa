package sqlmaps

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// pgBin is where Debian's postgresql package puts the server programs.
const pgBin = "/usr/lib/postgresql/15/bin"

// pgPort is the PostgreSQL server's TCP port; its socket directory also
// holds the name libpq uses for the default port 5432, as a link.
const pgPort = "34510"

// pgServer is the PostgreSQL server of the test run.
type pgServer struct {
	dir     string // data and table configurations
	sockDir string // holds .s.PGSQL.5432
	cmd     *exec.Cmd
	exited  chan struct{}
}

var (
	pgSrv      *pgServer
	pgSkip     string
	pgSetupSQL = `
CREATE USER pf PASSWORD 'secret';
CREATE DATABASE mail OWNER pf;
\c mail
CREATE TABLE aliases (source VARCHAR(100), dest VARCHAR(200), prio INT);
INSERT INTO aliases VALUES
 ('a@example.com', 'b@example.com', 1),
 ('multi@example.com', 'x@example.org', 1),
 ('multi@example.com', 'y@example.org', 2),
 ('multi@example.com', 'z@example.org', 3),
 ('q''uote@example.com', 'quoted@example.com', 1),
 ('back\slash@example.com', 'backslash@example.com', 1),
 ('empty@example.com', '', 1),
 ('null@example.com', NULL, 1),
 ('latin@example.com', 'café', 1);
GRANT SELECT ON aliases TO pf;
`
)

// startPg runs initdb and the server as the postgres user in a new
// directory.
func startPg() (*pgServer, error) {
	for _, p := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(pgBin, p)); err != nil {
			return nil, fmt.Errorf("%w: %s", exec.ErrNotFound, filepath.Join(pgBin, p))
		}
	}
	if _, err := exec.LookPath("psql"); err != nil {
		return nil, err
	}
	pg, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("%w: user postgres", exec.ErrNotFound)
	}
	uid, _ := strconv.Atoi(pg.Uid)
	gid, _ := strconv.Atoi(pg.Gid)
	cred := &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	dir, err := os.MkdirTemp("", "sqlmapspg")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0755)
	os.Chown(dir, uid, gid)
	s := &pgServer{dir: dir, sockDir: filepath.Join(dir, "s")}
	os.Mkdir(s.sockDir, 0755)
	deadline := time.Now().Add(startTimeout)
	initdb := exec.Command(filepath.Join(pgBin, "initdb"), "-D", dir+"/data", "-A", "trust", "-U", "postgres",
		"-E", "UTF8", "--no-sync")
	initdb.SysProcAttr = cred
	if out, err := runBounded(initdb, deadline); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer log.Close()
	s.cmd = exec.Command(filepath.Join(pgBin, "postgres"), "-D", dir+"/data", "-k", dir, "-p", pgPort,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	s.cmd.SysProcAttr = cred
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.exited = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.exited) }()
	sock := filepath.Join(dir, ".s.PGSQL."+pgPort)
	if err := waitReady(sock, s.exited, deadline); err != nil {
		text, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		s.stop()
		return nil, fmt.Errorf("postgres: %v:\n%s", err, text)
	}
	if err := os.Symlink(sock, filepath.Join(s.sockDir, ".s.PGSQL.5432")); err != nil {
		s.stop()
		return nil, err
	}
	psql := exec.Command("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", pgPort, "-U", "postgres", "postgres")
	psql.Stdin = bytes.NewBufferString(pgSetupSQL)
	if out, err := runBounded(psql, deadline); err != nil {
		s.stop()
		return nil, fmt.Errorf("loading the database: %v\n%s", err, out)
	}
	return s, nil
}

// waitReady waits until path exists, the process ends, or the deadline.
func waitReady(path string, exited chan struct{}, deadline time.Time) error {
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("ended before %s appeared", path)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no %s after %v", path, startTimeout)
		}
	}
}

// stop shuts the server down fast (SIGINT), killing it after ten
// seconds, and removes its directory.
func (s *pgServer) stop() {
	if s.exited != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.exited
		}
	}
	os.RemoveAll(s.dir)
}

// needPg skips the test when the server or the real table type is
// missing.
func needPg(t *testing.T) *pgServer {
	t.Helper()
	if pgSrv == nil {
		t.Skipf("no PostgreSQL server: %s (install postgresql)", pgSkip)
	}
	if _, err := os.Stat("/usr/lib/postfix/postfix-pgsql.so"); err != nil {
		t.Skip("no real pgsql table type (install postfix-pgsql)")
	}
	return pgSrv
}
