package main

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/showq"
	"gopostfix/libglobal/util/attr"
)

// showQueue lists the queue through the showq service, or, for root
// when the mail system is down, through a stand-alone showq.
func (p *pq) showQueue(mode int) {
	p.checkACL("authorized_mailq_users", "view the mail queue")
	mailName := p.str("mail_name")
	service := p.str("showq_service_name")
	path := filepath.Join("public", service)
	conn, err := net.Dial("unix", path)
	switch {
	case err == nil:
		p.listFrom(mode, conn)
		if err := conn.Close(); err != nil {
			p.log.Warnf("close: %s", errnoText(err))
		}
	case errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM):
		// No permission to the socket does not mean the system is down.
		p.log.Fatalf("Connect to the %s %s service: %s", mailName, service, errnoText(err))
	case os.Geteuid() == 0:
		p.log.Warnf("Mail system is down -- accessing queue directly (Connect to the %s %s service: %s)",
			mailName, service, errnoText(err))
		p.standAlone(mode, service)
	default:
		p.log.Fatalf("Queue report unavailable - mail system is down (Connect to the %s %s service: %s)",
			mailName, service, errnoText(err))
	}
}

// standAlone runs "showq -u -S" from daemon_directory and lists what it
// writes on its standard output.
func (p *pq) standAlone(mode int, service string) {
	path := p.str("daemon_directory") + "/" + service
	argv := []string{path, "-u", "-S"}
	for n := 0; n < p.log.Verbose; n++ {
		argv = append(argv, "-v")
	}
	cmd := &exec.Cmd{Path: path, Args: argv, Stderr: os.Stderr}
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		p.log.Fatalf("Error running %s", path)
	}
	p.listFrom(mode, out)
	if err := cmd.Wait(); err != nil {
		p.log.Fatalf("Error running %s", path)
	}
}

// listFrom reads a showq stream and prints it in the mode's format.
func (p *pq) listFrom(mode int, r io.Reader) {
	ar := attr.NewReader(r, attr.Format0, "public/"+p.str("showq_service_name"))
	ar.UTF8 = p.bool("smtputf8_enable")
	sr := showq.NewReader(ar)
	if err := sr.ReadAnnouncement(); err != nil {
		p.log.Fatalf("%v", err)
	}
	var err error
	if mode == modeJSON {
		err = printJSON(sr, os.Stdout, ar.UTF8)
	} else {
		err = printCompat(sr, os.Stdout, p.bool("enable_long_queue_ids"))
	}
	var we *writeError
	switch {
	case errors.As(err, &we):
		p.log.Fatalf("output write error: %s", errnoText(we.err))
	case err != nil:
		p.log.Fatalf("%v", err)
	}
}

// bool returns a yes/no parameter; a bad value is fatal.
func (p *pq) bool(name string) bool {
	v, err := p.cfg.Bool(name)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	return v
}

// errnoText is %m for the system error inside err.
func errnoText(err error) string { return queue.Strerror(err) }
