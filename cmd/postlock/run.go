package main

import (
	"os"
	"os/exec"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

// exTempfail is the exit status of every postlock failure: all are
// deemed recoverable.
const exTempfail = 75

func run(argv []string) int {
	syscall.Umask(0o022)
	prog := argv[0]
	log := msg.New(msg.NewWriterSink(prog, os.Stderr))
	log.Exit = func(int) { os.Exit(exTempfail) }
	if os.Getenv("MAIL_VERBOSE") != "" {
		log.Verbose = 1
	}
	usage := func() {
		log.Fatalf("usage: %s [-c config_dir] [-l lock_style] [-v] folder command...", prog)
	}
	opts, operands := getopt.Parse(argv, "+c:l:v", os.Stderr)
	lockStyle, haveStyle := "", false
	for _, o := range opts {
		switch o.Char {
		case 'c':
			os.Setenv(mailconf.EnvDir, o.Arg)
		case 'l':
			lockStyle, haveStyle = o.Arg, true
		case 'v':
			log.Verbose++
		default:
			usage()
		}
	}
	if len(operands) < 2 {
		usage()
	}
	folder, command := operands[0], operands[1:]

	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	if _, err := cfg.CheckGlobal(); err != nil {
		log.Fatalf("%v", err)
	}
	get := func(name string) string {
		v, err := cfg.Str(name)
		if err != nil {
			log.Fatalf("%v", err)
		}
		return v
	}
	if err := mailconf.UpdateEnv(get("import_environment")); err != nil {
		log.Fatalf("%v", err)
	}
	if !haveStyle {
		lockStyle = get("mailbox_delivery_lock")
	}
	mask, err := mbox.ParseLockMask(lockStyle)
	if err != nil {
		log.Fatalf("%v", err)
	}
	p := mbox.LockParams{}
	if p.Tries, err = cfg.Int("deliver_lock_attempts"); err != nil {
		log.Fatalf("%v", err)
	}
	if p.Delay, err = cfg.Time("deliver_lock_delay"); err != nil {
		log.Fatalf("%v", err)
	}
	if p.Stale, err = cfg.Time("stale_lock_time"); err != nil {
		log.Fatalf("%v", err)
	}

	mb, why := mbox.Open(folder, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600, -1, -1, mask, "5.2.0", p, log)
	if why != nil {
		log.Fatalf("open file %s: %s", folder, why.Reason)
	}
	status := runCommand(log, command)
	mb.File.Close()
	mb.Release()
	return status
}

// runCommand runs the command and returns its exit status (1 when it
// was killed or could not be executed).
func runCommand(log *msg.Logger, command []string) int {
	path, err := exec.LookPath(command[0])
	if err != nil {
		// The C program's child reports this and exits 1.
		log.Printf(msg.Fatal, "execvp %s: %s", command[0], execErr(err))
		return 1
	}
	cmd := &exec.Cmd{Path: path, Args: command, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Exited() {
				return ws.ExitStatus()
			}
			return 1
		}
		log.Printf(msg.Fatal, "execvp %s: %s", command[0], execErr(err))
		return 1
	}
	return 0
}

// execErr is execvp's errno text for a failed lookup.
func execErr(err error) string {
	if ee, ok := err.(*exec.Error); ok {
		if ee.Err == exec.ErrNotFound {
			return dict.ErrnoText(syscall.ENOENT)
		}
		return dict.ErrnoText(ee.Err)
	}
	return dict.ErrnoText(err)
}
