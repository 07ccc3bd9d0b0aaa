package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"gopostfix/libglobal/util/dict"
)

// Iterator flags.
const (
	iterReverse = 1 << iota
	iterCheckDisabled
	iterSkipDisabled
)

// iterate runs -l, -p or -x over the selected instances (no selection
// means all) and returns the exit status.
func (p *pm) iterate(o *options) int {
	sel := o.sel
	if sel.kind == selNone {
		sel.kind = selAll
	}
	flags := 0
	if o.reverse {
		flags = iterReverse
	}
	p.loadAll()
	switch o.mode {
	case iterPostfix:
		return p.postfixCommand(o.args, &sel)
	case iterList:
		p.list(flags, &sel)
		return 0
	}
	return p.command(iterGeneric, flags, o.args, &sel)
}

// ordered returns the instances in iteration order.
func (p *pm) ordered(flags int) []*instance {
	if flags&iterReverse == 0 {
		return p.instances
	}
	out := make([]*instance, 0, len(p.instances))
	for i := len(p.instances) - 1; i >= 0; i-- {
		out = append(out, p.instances[i])
	}
	return out
}

// list prints one line per selected instance: name, group, enabled,
// configuration directory.
func (p *pm) list(flags int, sel *selection) {
	w := bufio.NewWriter(os.Stdout)
	for _, ip := range p.ordered(flags) {
		if !p.matches(ip, sel) {
			continue
		}
		enabled := "n"
		if ip.enabled {
			enabled = "y"
		}
		fmt.Fprintf(w, "%-15s %-15s %-9s %s\n", orDash(ip.name), orDash(ip.group), enabled, ip.configDir)
	}
	if err := w.Flush(); err != nil {
		p.log.Fatalf("error writing output: %s", dict.ErrnoText(err))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// postfixCommand runs "$command_directory/postfix -- args..." for each
// instance, with start commands turned into "check" for disabled
// instances and stop commands run in reverse order, enabled ones only.
func (p *pm) postfixCommand(args []string, sel *selection) int {
	flags := 0
	switch {
	case wordIn(p.str("postmulti_start_commands"), args[0]):
		flags = iterCheckDisabled
	case wordIn(p.str("postmulti_stop_commands"), args[0]):
		flags = iterSkipDisabled | iterReverse
	case wordIn(p.str("postmulti_control_commands"), args[0]):
		flags = iterSkipDisabled
	}
	argv := append([]string{p.str("command_directory") + "/postfix", "--"}, args...)
	return p.command(iterPostfix, flags, argv, sel)
}

// command runs argv once per selected instance; any failure makes the
// status 1; no instance at all is fatal.
func (p *pm) command(mode, flags int, argv []string, sel *selection) int {
	status, matched := 0, false
	for _, ip := range p.ordered(flags) {
		if flags&iterSkipDisabled != 0 && !ip.enabled {
			continue
		}
		if !p.matches(ip, sel) {
			continue
		}
		matched = true
		if p.runFor(ip, mode, flags, argv) != 0 {
			status = 1
		}
	}
	if !matched {
		p.log.Fatalf("No matching instances")
	}
	return status
}

// runFor runs argv in the instance's environment (run_user_command).
func (p *pm) runFor(ip *instance, mode, flags int, argv []string) int {
	argv = append([]string(nil), argv...)
	env := envMap(os.Environ())
	env["MAIL_CONFIG"] = ip.configDir
	if mode != iterPostfix {
		env["daemon_directory"] = p.str("daemon_directory")
		env["command_directory"] = p.str("command_directory")
		env["config_directory"] = ip.configDir
		env["queue_directory"] = ip.queueDir
		env["data_directory"] = ip.dataDir
		env["multi_instance_name"] = ip.name
		env["multi_instance_group"] = ip.group
		env["multi_instance_enable"] = yesNo(ip.enabled)
		env["PATH"] = p.commandPath(env["PATH"])
	}
	if mode == iterPostfix && flags&iterCheckDisabled != 0 && !ip.enabled {
		argv[2] = "check"
	}
	path, err := lookPath(argv[0], env["PATH"])
	if err != nil {
		// The C child dies after fork; its status reaches the parent.
		p.childFatal("execvp %s: %s", argv[0], dict.ErrnoText(err))
		return 1
	}
	cmd := &exec.Cmd{Path: path, Args: argv, Env: envList(env),
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Exited() {
				return ws.ExitStatus()
			}
			return 1
		}
		p.childFatal("execvp %s: %s", argv[0], dict.ErrnoText(err))
		return 1
	}
	return 0
}

// childFatal logs what the forked C child logs before it exits 1.
func (p *pm) childFatal(format string, args ...any) {
	exit := p.log.Exit
	p.log.Exit = func(int) {}
	p.log.Fatalf(format, args...)
	p.log.Exit = exit
}

// commandPath prepends command_directory to PATH (prepend_command_path).
func (p *pm) commandPath(path string) string {
	if path == "" {
		path = "/bin:/usr/bin:/sbin:/usr/sbin"
	}
	return p.str("command_directory") + ":" + path
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
