package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
)

// namePrefix is the mandatory prefix of non-empty instance names.
const namePrefix = "postfix-"

// instance is one Postfix instance: its private directories and labels.
type instance struct {
	configDir, queueDir, dataDir string
	name, group                  string // "" when none
	enabled, primary             bool
}

// label is the instance name, or its configuration directory.
func (ip *instance) label() string {
	if ip.name != "" {
		return ip.name
	}
	return ip.configDir
}

// pm is one run of postmulti: the primary configuration, the instance
// list and the claims that keep instances apart.
type pm struct {
	*ctx
	instances []*instance
	claims    map[string]string // value -> "config_dir, param"
}

// claim registers value as owned by (dir, param), or dies when another
// instance owns it (register_claim).
func (p *pm) claim(dir, param, value string) {
	if p.claims == nil {
		p.claims = map[string]string{}
	}
	who := dir + ", " + param
	owner, ok := p.claims[value]
	if !ok {
		p.claims[value] = who
		return
	}
	if owner != who {
		p.log.Fatalf("instance %s, %s=%s conflicts with instance %s=%s", dir, param, value, owner, value)
	}
}

func (p *pm) claimInstance(ip *instance) {
	if ip.name != "" {
		p.claim(ip.configDir, "multi_instance_name", ip.name)
	}
	p.claim(ip.configDir, "config_directory", ip.configDir)
	p.claim(ip.configDir, "queue_directory", ip.queueDir)
	p.claim(ip.configDir, "data_directory", ip.dataDir)
}

// insert claims ip and places it before the first secondary instance
// that matches sel, or at the end (insert_instance).
func (p *pm) insert(ip *instance, sel *selection) {
	p.claimInstance(ip)
	if sel != nil && sel.kind != selNone {
		for i := 1; i < len(p.instances); i++ {
			if p.matches(p.instances[i], sel) {
				p.instances = append(p.instances[:i], append([]*instance{ip}, p.instances[i:]...)...)
				return
			}
		}
		if sel.kind != selAll {
			p.log.Fatalf("No matching secondary instances")
		}
	}
	p.instances = append(p.instances, ip)
}

// primary is the instance of the default configuration directory, built
// from the values already read.
func (p *pm) primary() *instance {
	return &instance{configDir: p.str("config_directory"), queueDir: p.str("queue_directory"),
		dataDir: p.str("data_directory"), name: p.str("multi_instance_name"),
		group: p.str("multi_instance_group"), enabled: p.bool("multi_instance_enable"), primary: true}
}

// loadAll builds the instance list: the primary, then every directory of
// multi_instance_directories. With none, the primary is enabled.
func (p *pm) loadAll() {
	dirs := strings.FieldsFunc(p.str("multi_instance_directories"), func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	})
	prim := p.primary()
	if len(dirs) == 0 {
		prim.enabled = true
	}
	p.insert(prim, nil)
	for _, d := range dirs {
		ip := &instance{configDir: d}
		p.load(ip)
		p.insert(ip, nil)
	}
}

// load reads a secondary instance's parameters with "postconf -xc"
// (load_instance).
func (p *pm) load(ip *instance) {
	names := []string{"queue_directory", "data_directory", "multi_instance_name",
		"multi_instance_group", "multi_instance_enable"}
	cmd := exec.Command(p.str("command_directory")+"/postconf", append([]string{"-xc", ip.configDir}, names...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		p.log.Fatalf("Cannot parse %s/main.cf file: %s", ip.configDir, dict.ErrnoText(err))
	}
	count := 0
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, value, err := mailconf.SplitNameValue(sc.Text())
		if err != nil {
			p.log.Fatalf("Invalid %s/main.cf parameter: %s", ip.configDir, sc.Text())
		}
		switch name {
		case "queue_directory":
			ip.queueDir = value
		case "data_directory":
			ip.dataDir = value
		case "multi_instance_name":
			ip.name = value
		case "multi_instance_group":
			ip.group = value
		case "multi_instance_enable":
			switch strings.ToLower(value) {
			case "yes":
				ip.enabled = true
			case "no":
				ip.enabled = false
			default:
				p.log.Fatalf("Unexpected %s/main.cf entry: %s = %s", ip.configDir, name, value)
			}
		default:
			continue
		}
		count++
	}
	if count != len(names) {
		p.log.Fatalf("Failed to obtain all required %s/main.cf parameters", ip.configDir)
	}
	if cmd.Wait() != nil {
		p.log.Fatalf("Cannot parse %s/main.cf file", ip.configDir)
	}
}

// matches applies a selection (match_instance_selection).
func (p *pm) matches(ip *instance, sel *selection) bool {
	switch sel.kind {
	case selAll:
		return true
	case selGroup:
		return ip.group != "" && sel.name == ip.group
	case selName:
		iname := ip.name
		switch {
		case strings.HasPrefix(sel.name, "/") || ip.name == "":
			iname = ip.configDir
		case !strings.HasPrefix(sel.name, namePrefix) && strings.HasPrefix(ip.name, namePrefix):
			iname = ip.name[len(namePrefix):]
		}
		return sel.name == iname || (ip.primary && sel.name == "-")
	}
	return false
}

// sharedDirs are the directories all instances share.
var sharedDirs = []string{"command_directory", "daemon_directory", "meta_directory", "shlib_directory"}

// checkShared requires the shared directories to exist and claims all
// but meta_directory (check_shared_dir_status).
func (p *pm) checkShared() {
	for _, name := range sharedDirs {
		v := p.str(name)
		if !strings.HasPrefix(v, "/") {
			continue
		}
		var st syscall.Stat_t
		if err := syscall.Stat(v, &st); err != nil {
			p.log.Fatalf("%s = '%s': directory not found: %s", name, v, dict.ErrnoText(err))
		}
		if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
			p.log.Fatalf("%s = '%s' is not a directory", name, v)
		}
		if name == "meta_directory" {
			continue
		}
		p.claim(p.str("config_directory"), name, v)
	}
}
