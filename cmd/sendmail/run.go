package main

import (
	"os"
	"os/exec"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/queue"
)

// replace runs command_directory/prog in place of sendmail, with one -v
// per verbose level (mail_run_replace).
func (sm *sendmail) replace(prog string, args ...string) {
	dir := sm.str("command_directory")
	sm.execv(dir+"/"+prog, sm.withVerbose(prog, args))
}

func (sm *sendmail) withVerbose(prog string, args []string) []string {
	argv := append([]string{prog}, args...)
	for n := 0; n < sm.log.Verbose; n++ {
		argv = append(argv, "-v")
	}
	return argv
}

func (sm *sendmail) execv(path string, argv []string) {
	err := syscall.Exec(path, argv, os.Environ())
	sm.log.Fatalf("execv %s: %s", path, queue.Strerror(err))
}

// background runs "postfix start" and waits for it (mail_run_background
// with the wait of the caller).
func (sm *sendmail) background() int {
	dir := sm.str("command_directory")
	argv := sm.withVerbose("postfix", nil)
	argv = append(argv, "start")
	cmd := &exec.Cmd{Path: dir + "/postfix", Args: argv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	if err := cmd.Start(); err != nil {
		sm.log.Warnf("fork: %s", queue.Strerror(err))
		return 1
	}
	go cmd.Wait()
	return 0
}

// newaliases runs postalias on the alias databases (or -oA's).
func (sm *sendmail) newaliases() {
	sm.noRecipients("alias initialization mode requires no recipient")
	maps := sm.str("alias_database")
	if sm.aliasArg == "" && maps == "" {
		os.Exit(0)
	}
	args := []string{"--"}
	if sm.aliasArg != "" {
		args = append(args, sm.aliasArg)
	} else {
		args = append(args, mailconf.SplitList(maps)...)
	}
	argv := sm.withVerbose("postalias", nil)
	sm.execv(sm.str("command_directory")+"/postalias", append(argv, args...))
}

// standalone runs "smtpd -S" on standard input and output (-bs).
func (sm *sendmail) standalone() {
	sm.noRecipients("stand-alone mode requires no recipient")
	sm.checkSubmit()
	sm.execv(sm.str("daemon_directory")+"/smtpd", sm.withVerbose("smtpd", []string{"-S"}))
}

// exportEnv is the environment postdrop gets: export_environment names.
func (sm *sendmail) exportEnv() []string {
	var env []string
	for _, name := range mailconf.SplitList(sm.str("export_environment")) {
		if k, v, ok := strings.Cut(name, "="); ok {
			env = append(env, k+"="+v)
		} else if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}
