package pipecmd

import (
	"errors"
	"os"
	"strings"
	"syscall"
)

// defPath is the command search path every command gets (_PATH_DEFPATH).
const defPath = "/usr/bin:/bin"

// Environ builds a command's environment as pipe_command and
// spawn_command do in the child (clean_env, then PATH, then the extra
// variables): export (export_environment) lists names to keep from our
// environment and NAME=value settings to add, in list order; extra holds
// name, value pairs.
func Environ(export []string, extra []string) []string {
	var out []string
	for _, n := range export {
		if strings.IndexByte(n, '=') > 0 {
			out = setenv(out, n)
		} else if v, ok := os.LookupEnv(n); ok {
			out = setenv(out, n+"="+v)
		}
	}
	out = setenv(out, "PATH="+defPath)
	for i := 0; i+1 < len(extra); i += 2 {
		out = setenv(out, extra[i]+"="+extra[i+1])
	}
	return out
}

// setenv replaces or appends NAME=value.
func setenv(env []string, kv string) []string {
	name := kv[:strings.IndexByte(kv, '=')+1]
	for i, e := range env {
		if strings.HasPrefix(e, name) {
			env[i] = kv
			return env
		}
	}
	return append(env, kv)
}

// LookPath finds a program the way execvp(3) does with PATH=/usr/bin:/bin
// (inside root when not empty): a name with a slash is used as it is; a
// file found but not executable is EACCES, none ENOENT.
func LookPath(name, root string) (string, error) {
	if strings.IndexByte(name, '/') >= 0 {
		return name, nil
	}
	var firstErr error
	for _, dir := range strings.Split(defPath, ":") {
		p := dir + "/" + name
		fi, err := os.Stat(root + p)
		if err == nil && fi.Mode().IsRegular() && fi.Mode()&0111 != 0 {
			return p, nil
		}
		if err == nil && firstErr == nil {
			firstErr = syscall.EACCES
		}
	}
	if firstErr != nil {
		return "", firstErr
	}
	return "", syscall.ENOENT
}

// plainChars are the bytes a command line may hold and still be run
// without a shell (exec_command's ok_chars).
const plainChars = "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ \t"

// bshell is _PATH_BSHELL.
const bshell = "/bin/sh"

// commandArgv is how a command line is run: with a shell
// (local_command_shell) that gets the command as its last argument;
// else split on blanks when it holds only plain characters and the
// program exists (exec_command); else through "sh -c". It returns the
// program file and the argument vector.
func commandArgv(cmd, shell, root string) (string, []string, error) {
	if shell != "" {
		argv := append(strings.Fields(shell), cmd)
		path, err := LookPath(argv[0], root)
		return path, argv, err
	}
	plain := strings.Trim(cmd, " \t") != ""
	for i := 0; i < len(cmd) && plain; i++ {
		plain = strings.IndexByte(plainChars, cmd[i]) >= 0
	}
	if plain {
		argv := strings.Fields(cmd)
		path, err := LookPath(argv[0], root)
		if err == nil || !errors.Is(err, syscall.ENOENT) || strings.IndexByte(argv[0], '/') >= 0 {
			return path, argv, err
		}
	}
	return bshell, []string{"sh", "-c", cmd}, nil
}
