package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gopostfix/libglobal/mailconf"
)

// mostParameters are post-install's installation parameters, in the order
// it checks them.
var mostParameters = []string{"command_directory", "daemon_directory", "data_directory",
	"html_directory", "mail_owner", "mailq_path", "manpage_directory",
	"newaliases_path", "queue_directory", "readme_directory", "sample_directory",
	"sendmail_path", "setgid_group", "shlib_directory", "meta_directory"}

// savedParameters is the order in which post-install hands a changed
// parameter set to "postconf -e".
var savedParameters = []string{"daemon_directory", "command_directory", "queue_directory",
	"data_directory", "mail_owner", "setgid_group", "sendmail_path", "mailq_path",
	"newaliases_path", "html_directory", "manpage_directory", "sample_directory",
	"readme_directory", "shlib_directory", "meta_directory"}

// nonShared are the parameters whose postfix-files entries belong to one
// instance; a secondary instance updates only those.
var nonShared = []string{"config_directory", "queue_directory", "data_directory"}

const postInstallUsage = `Usage: %[1]s [name=value] command
    create-missing          Create missing queue directories.
    upgrade-source          When installing or upgrading from source code.
    upgrade-package         When installing or upgrading from pre-built package.
    first-install-reminder  Remind of mandatory first-time configuration steps.
    name=value              Specify an installation parameter.`

// postInstall is one run of post-install: "postfix set-permissions",
// "postfix upgrade-configuration", "postfix post-install ..." and the
// create-missing step of "postfix check".
type postInstall struct {
	c         *ctl
	self      string            // the script's name in its messages ($0)
	vars      map[string]string // installation parameters and name=value settings
	defConfig string

	create, setPerms, upgradePerms, upgradeConf, reminder bool
	updateShared                                          bool
	obsolete                                              []string
}

// newPostInstall starts from the parameter values that the postfix
// command exports to the script.
func (c *ctl) newPostInstall() *postInstall {
	p := &postInstall{c: c, self: c.dirs["daemon_directory"] + "/post-install",
		vars: map[string]string{}, defConfig: mailconf.DefaultDir}
	for _, name := range append([]string{"config_directory"}, mostParameters...) {
		p.vars[name] = c.str(name)
	}
	return p
}

func (p *postInstall) errorf(format string, args ...any) int {
	fmt.Fprintf(os.Stderr, "%s: Error: %s\n", p.self, fmt.Sprintf(format, args...))
	return 1
}

// parseArgs reads commands and name=value settings; it returns -1 to go
// on, or the exit status.
func (p *postInstall) parseArgs(args []string) int {
	for _, arg := range args {
		switch {
		case strings.ContainsAny(arg, " \t"):
			fmt.Printf("%s: Error: argument contains whitespace: '%s'\n", p.self, arg)
			return 1
		case strings.Contains(arg, "="):
			name, value, _ := strings.Cut(arg, "=")
			p.vars[name] = value
		case arg == "create-missing":
			p.create = true
		case strings.HasPrefix(arg, "set-perm"):
			p.create, p.setPerms = true, true
		case strings.HasPrefix(arg, "upgrade-perm"):
			p.create, p.upgradePerms = true, true
		case strings.HasPrefix(arg, "upgrade-conf"):
			p.upgradeConf = true
		case arg == "upgrade-source":
			p.create, p.upgradeConf, p.upgradePerms = true, true, true
		case arg == "upgrade-package":
			p.create, p.upgradeConf, p.setPerms = true, true, true
		case strings.HasPrefix(arg, "first-install"):
			p.reminder = true
		default:
			return p.errorf(postInstallUsage, p.self)
		}
	}
	if !p.create && !p.upgradeConf && !p.reminder {
		return p.errorf(postInstallUsage, p.self)
	}
	return -1
}

// postconf is the path of the postconf command post-install uses.
func (p *postInstall) postconf() string {
	if d := p.vars["command_directory"]; d != "" {
		return d + "/postconf"
	}
	return "postconf"
}

// run is post-install with its arguments.
func (p *postInstall) run(args []string) int {
	if rc := p.parseArgs(args); rc >= 0 {
		return rc
	}
	if exec.Command(p.postconf(), "-d", "mail_version").Run() != nil {
		fmt.Fprintf(os.Stderr, "%s: Error: no %s command found.\n", p.self, p.postconf())
		fmt.Fprintf(os.Stderr, "Re-run this command as %s command_directory=/some/where.\n", p.self)
		return 1
	}
	def, err := p.postconfValue("-d", "-h", "config_directory")
	if err != nil {
		return 1
	}
	p.defConfig = def
	if p.vars["config_directory"] == "" {
		p.vars["config_directory"] = def
	}
	cfgDir := p.vars["config_directory"]
	if fi, err := os.Stat(cfgDir); err != nil || !fi.IsDir() {
		return p.errorf("%s is not a directory.", cfgDir)
	}
	shared, err := p.c.sharedFiles(p.postconf(), def, cfgDir)
	if err != nil {
		return 1
	}
	p.updateShared = shared
	if fi, err := os.Stat(p.vars["meta_directory"] + "/postfix-files"); err != nil || !fi.Mode().IsRegular() {
		return p.errorf("%s/postfix-files is not a file.", p.vars["meta_directory"])
	}
	if fi, err := os.Stat(cfgDir + "/main.cf"); err == nil && fi.Mode().IsRegular() {
		for _, name := range mostParameters {
			if p.vars[name] == "" {
				v, err := p.postconfValue("-c", cfgDir, "-h", name)
				if err != nil {
					return 1
				}
				p.vars[name] = v
			}
		}
	}
	if rc := p.checkParams(); rc >= 0 {
		return rc
	}
	if rc := p.saveOverrides(); rc >= 0 {
		return rc
	}
	if p.create {
		for _, file := range postfixFiles(p.vars["meta_directory"]) {
			if rc := p.applyFile(file); rc >= 0 {
				return rc
			}
		}
	}
	if p.upgradeConf {
		if rc := p.upgradeConfiguration(); rc >= 0 {
			return rc
		}
	}
	if p.reminder {
		p.firstInstallReminder()
	}
	return 0
}

// checkParams applies post-install's sanity checks; -1 means they pass.
func (p *postInstall) checkParams() int {
	v := p.vars
	if v["manpage_directory"] == "no" {
		p.errorf(`manpage_directory no longer accepts "no" values.`)
		fmt.Fprintf(os.Stderr, "Try again with \"%s manpage_directory=/pathname ...\".\n", p.self)
		return 1
	}
	if v["setgid_group"] == "no" {
		p.errorf(`setgid_group no longer accepts "no" values.`)
		fmt.Fprintf(os.Stderr, "Try again with \"%s setgid_group=groupname ...\"\n", p.self)
		return 1
	}
	for _, name := range []string{"daemon_directory", "command_directory", "queue_directory",
		"sendmail_path", "newaliases_path", "mailq_path", "manpage_directory", "meta_directory"} {
		if !strings.HasPrefix(v[name], "/") {
			return p.errorf(`"%s" should be an absolute path name.`, v[name])
		}
	}
	for _, name := range []string{"html_directory", "readme_directory", "shlib_directory"} {
		if val := v[name]; val != "no" && !strings.HasPrefix(val, "/") {
			return p.errorf(`"%s" should be "no" or an absolute path name.`, val)
		}
	}
	var missing []string
	for _, name := range mostParameters {
		if v[name] == "" {
			missing = append(missing, name)
		}
	}
	if v["non_interactive"] != "" && len(missing) > 0 {
		fmt.Fprint(os.Stderr, fill(fmt.Sprintf(missingText, p.self, v["config_directory"],
			" "+strings.Join(missing, " "))))
		return 1
	}
	return -1
}

const missingText = `%[1]s: Error: some required installation parameters are not defined.

- Either the parameters need to be given in the %[2]s/main.cf
file from a recent Postfix installation,

- Or the parameters need to be specified through the process
environment.

- Or the parameters need to be specified as name=value arguments
on the %[1]s command line,

The following parameters were missing:

    %[3]s

`

// saveOverrides writes the installation parameters to main.cf when one of
// them differs from its setting there ("postconf -h", which a broken
// main.cf or master.cf also makes differ). A value that ends in the mail
// version is saved with "${mail_version}" in its place.
func (p *postInstall) saveOverrides() int {
	version, err := p.postconfValue("-dhx", "mail_version")
	if err != nil {
		return 1
	}
	val := map[string]string{}
	for _, name := range mostParameters {
		v := p.vars[name]
		if strings.HasSuffix(v, version) {
			v = strings.TrimSuffix(v, version) + "${mail_version}"
		}
		val[name] = v
	}
	changed := false
	for _, name := range mostParameters {
		if set, _ := p.postconfValue("-c", p.vars["config_directory"], "-h", name); set != val[name] {
			changed = true
			break
		}
	}
	if !changed {
		return -1
	}
	args := []string{"-c", p.vars["config_directory"], "-e"}
	for _, name := range savedParameters {
		args = append(args, name+" = "+val[name])
	}
	if p.runPostconf(args...) != nil {
		return 1
	}
	return -1
}

// runPostconf runs post-install's postconf with the standard streams.
func (p *postInstall) runPostconf(args ...string) error { return runTool(p.postconf(), args...) }

// runTool runs a program with postfix's standard output and error.
func runTool(path string, args ...string) error {
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// postconfValue is the output of "postconf ARGS" without its newline.
func (p *postInstall) postconfValue(args ...string) (string, error) {
	cmd := exec.Command(p.postconf(), args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	return strings.TrimRight(string(out), "\n"), err
}

func executable(path string) bool {
	if !strings.Contains(path, "/") {
		_, err := exec.LookPath(path)
		return err == nil
	}
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// sharedFiles is false for a secondary instance: its configuration
// directory is listed in the default main.cf's multi_instance_directories
// (only the first comma counts as a separator, as the script's sed has it).
func (c *ctl) sharedFiles(postconf, def, configDir string) (bool, error) {
	if fi, err := os.Stat(filepath.Join(def, "main.cf")); err != nil || !fi.Mode().IsRegular() {
		return true, nil
	}
	cmd := exec.Command(postconf, "-c", def, "-h", "multi_instance_directories")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return false, err
	}
	for _, name := range strings.Fields(strings.Replace(string(out), ",", " ", 1)) {
		if name == def {
			continue
		}
		if name == configDir {
			return false, nil
		}
	}
	return true, nil
}
