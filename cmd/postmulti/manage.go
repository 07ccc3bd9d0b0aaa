package main

import (
	"os"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
)

// helper is the script that carries out -e actions.
const helper = "postmulti-script"

// Environment export flags for the helper.
const (
	expMultiDirs = 1 << iota
	expMultiName
	expMultiGroup
)

// manage carries out an -e action: it works out the target instance and
// the parameters to change, then executes the helper script (manage).
func (p *pm) manage(o *options) {
	var target *instance
	export := 0
	switch o.mode {
	case editInit:
		target = p.primary()
	case editCreate, editImport:
		p.loadAll()
		target = p.install(o, &export)
	case editAssign:
		p.loadAll()
		target = p.selectExisting(&o.sel, false, nil)
		p.checkAssignment(&o.assign)
		export |= p.doAssign(target, &o.assign)
		if export == 0 {
			os.Exit(0)
		}
	case editDestroy, editDeport:
		p.loadAll()
		target = p.selectExisting(&o.sel, true, &export)
	default:
		p.loadAll()
		target = p.selectExisting(&o.sel, false, nil)
	}
	env := p.helperEnv(target, export)
	cmd := p.str("daemon_directory") + "/" + helper
	err := syscall.Exec(cmd, []string{cmd, "-e", editName(o.mode)}, envList(env))
	p.log.Fatalf("%s: %s", cmd, dict.ErrnoText(err))
}

// safeName allows letters, digits and !@%-_=+:./ only.
func safeName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!@%-_=+:./", c) >= 0) {
			return false
		}
	}
	return true
}

func (p *pm) checkAssignment(a *assignment) {
	if a.name != nil && *a.name != "" {
		n := *a.name
		if !safeName(n) {
			p.log.Fatalf("Unsafe characters in new instance name: '%s'", n)
		}
		if strings.Contains(n, "/") {
			p.log.Fatalf("Illegal '/' character in new instance name: '%s'", n)
		}
		if n != "-" && !strings.HasPrefix(n, namePrefix) {
			p.log.Fatalf("New instance name must start with '%s'", namePrefix)
		}
	}
	if a.group != nil && *a.group != "" && !safeName(*a.group) {
		p.log.Fatalf("Unsafe characters in '-G %s'", *a.group)
	}
}

// doAssign applies -I/-G to target and returns what to export.
func (p *pm) doAssign(target *instance, a *assignment) int {
	export := 0
	if a.name != nil && *a.name != target.name {
		p.claim(target.configDir, "multi_instance_name", *a.name)
		target.name = *a.name
		export |= expMultiName
	}
	if a.group != nil && *a.group != target.group {
		target.group = *a.group
		export |= expMultiGroup
	}
	return export
}

// privatePath derives a new instance's directory from the primary's:
// the primary's parent directory plus the instance name.
func (p *pm) privatePath(param, primary string, a *assignment) string {
	if a.name == nil || *a.name == "" {
		p.log.Fatalf("Missing %s parameter value", param)
	}
	if !strings.HasPrefix(primary, "/") {
		p.log.Fatalf("Invalid default %s parameter value: '%s': specify an absolute pathname", param, primary)
	}
	base := primary
	if end := strings.LastIndexByte(base, '/'); end >= 0 {
		if end == len(base)-1 {
			for end--; end > 0 && base[end] == '/'; end-- {
				base = base[:end]
			}
			end = strings.LastIndexByte(base, '/')
		}
		for ; end > 0 && base[end] == '/'; end-- {
			base = base[:end]
		}
	}
	if len(base) < 2 {
		base = ""
	}
	return base + "/" + *a.name
}

// assignParam applies one name=value argument of create/import.
func (p *pm) assignParam(ip *instance, mode int, arg string) {
	name, value, err := mailconf.SplitNameValue(arg)
	if err != nil {
		p.log.Fatalf("Malformed parameter setting '%s'", arg)
	}
	var target *string
	switch {
	case name == "config_directory":
		target = &ip.configDir
	case mode != editImport && name == "queue_directory":
		target = &ip.queueDir
	case mode != editImport && name == "data_directory":
		target = &ip.dataDir
	default:
		p.log.Fatalf("Parameter '%s' not valid with action %s", name, editName(mode))
	}
	if !strings.HasPrefix(value, "/") {
		p.log.Fatalf("Parameter setting '%s' is not an absolute path", name)
	}
	end := len(value) - 1
	for end > 0 && value[end] == '/' {
		end--
	}
	if end == 0 {
		p.log.Fatalf("Parameter setting '%s' is the root directory", name)
	}
	*target = value[:end+1]
}

// install creates the new instance of create/import and inserts it.
func (p *pm) install(o *options, export *int) *instance {
	ip := &instance{}
	p.checkAssignment(&o.assign)
	for _, arg := range o.args {
		p.assignParam(ip, o.mode, arg)
	}
	if ip.configDir == "" {
		ip.configDir = p.privatePath("config_directory", p.str("config_directory"), &o.assign)
	}
	if owner, ok := p.claims[ip.configDir]; ok {
		p.log.Fatalf("new %s=%s is already in use by instance %s=%s", "config_directory", ip.configDir, owner, ip.configDir)
	}
	if o.mode != editImport {
		if ip.queueDir == "" {
			ip.queueDir = p.privatePath("queue_directory", p.str("queue_directory"), &o.assign)
		}
		if ip.dataDir == "" {
			ip.dataDir = p.privatePath("data_directory", p.str("data_directory"), &o.assign)
		}
	} else {
		p.load(ip)
	}
	*export |= p.doAssign(ip, &o.assign) | expMultiDirs
	p.insert(ip, &o.sel)
	return ip
}

// selectExisting finds the -i instance; with unlink it is removed from
// the list (destroy, deport).
func (p *pm) selectExisting(sel *selection, unlink bool, export *int) *instance {
	if sel.kind != selName {
		p.log.Fatalf("Select an instance via '-i name'")
	}
	for i, ip := range p.instances {
		if !p.matches(ip, sel) {
			continue
		}
		if unlink {
			if i == 0 {
				p.log.Fatalf("Cannot remove the primary instance")
			}
			if ip.enabled {
				p.log.Fatalf("Cannot remove enabled instances")
			}
			p.instances = append(p.instances[:i], p.instances[i+1:]...)
			*export |= expMultiDirs
		}
		return ip
	}
	p.log.Fatalf("No instance named %s", sel.name)
	return nil
}

// helperEnv is the helper's environment (export_helper_environment):
// import_environment only, command_directory first in PATH, the shared
// and the target's private directories, and the changed settings.
func (p *pm) helperEnv(target *instance, export int) map[string]string {
	if err := mailconf.CleanEnv(p.str("import_environment")); err != nil {
		p.log.Fatalf("%v", err)
	}
	env := envMap(os.Environ())
	env["PATH"] = p.commandPath(env["PATH"])
	env["MAIL_CONFIG"] = p.str("config_directory")
	for _, name := range sharedDirs {
		env[name] = p.str(name)
	}
	env["config_directory"] = target.configDir
	env["queue_directory"] = target.queueDir
	env["data_directory"] = target.dataDir
	if export&expMultiDirs != 0 {
		var dirs []string
		for _, ip := range p.instances[1:] {
			dirs = append(dirs, ip.configDir)
		}
		env["multi_instance_directories"] = strings.Join(dirs, " ")
	}
	if export&expMultiName != 0 {
		env["multi_instance_name"] = orDash(target.name)
	}
	if export&expMultiGroup != 0 {
		env["multi_instance_group"] = orDash(target.group)
	}
	return env
}
