package main

import (
	"fmt"
	"regexp"
	"strings"
)

// masterAddition is a master.cf service that upgrade-configuration
// appends when no line matches want.
type masterAddition struct {
	want, name, line string
}

// masterFix is an in-place edit of the first line matching find, made with
// ed(1) in the script: each substitution replaces the first match on the
// line.
type masterFix struct {
	find *regexp.Regexp
	what string
	subs []substitution
}

type substitution struct {
	re   *regexp.Regexp
	repl string
}

func sub(re, repl string) substitution {
	return substitution{regexp.MustCompile(re), repl}
}

// upgradeConfiguration is post-install's upgrade-configuration: missing
// services are appended to master.cf, outdated entries edited, and
// main.cf's hash_queue_names and inet_protocols brought up to date, in
// the script's order and with its messages.
func (p *postInstall) upgradeConfiguration() int {
	m := &masterFile{path: p.vars["config_directory"] + "/master.cf"}
	steps := []func() bool{
		m.add(masterAddition{`^relay`, "relay service", "relay\t  unix\t-\t-\tn\t-\t-\tsmtp"}),
		m.add(masterAddition{`^flush.*flush`, "flush service", "flush     unix  -       -       n       1000?   0       flush"}),
		m.add(masterAddition{`trace.*bounce`, "trace service", "trace\t  unix\t-\t-\tn\t-\t0\tbounce"}),
		m.add(masterAddition{`^verify.*verify`, "verify service", "verify\t  unix\t-\t-\tn\t-\t1\tverify"}),
		m.fix(masterFix{regexp.MustCompile(`^verify.*[ \t]0[ \t]*verify`), "setting verify process limit to 1",
			[]substitution{sub(`([ \t])0([ \t])`, "${1}1${2}")}}),
		m.fix(masterFix{regexp.MustCompile(`^pickup[ \t]*fifo[ \t]*n[ \t]*n`), "making the pickup service unprivileged",
			[]substitution{sub(`(n[ \t]*)n`, "${1}-")}}),
		m.fix(masterFix{regexp.MustCompile(`^cleanup[ \t]*unix[ \t]*[-y]`), "making the cleanup service public",
			[]substitution{sub(`[-y]`, "n")}}),
		m.fix(masterFix{regexp.MustCompile(`^flush[ \t]*unix[ \t]*[-y]`), "making the flush service public",
			[]substitution{sub(`[-y]`, "n")}}),
		p.fixHashQueueNames,
		m.add(masterAddition{`^proxymap.*proxymap`, "proxymap service", "proxymap  unix\t-\t-\tn\t-\t-\tproxymap"}),
		m.add(masterAddition{`^anvil.*anvil`, "anvil service", "anvil\t  unix\t-\t-\tn\t-\t1\tanvil"}),
		m.add(masterAddition{`^scache.*scache`, "scache service", "scache\t  unix\t-\t-\tn\t-\t1\tscache"}),
		m.add(masterAddition{`^discard.*discard`, "discard service", "discard\t  unix\t-\t-\tn\t-\t-\tdiscard"}),
		m.fix(masterFix{regexp.MustCompile(`^tlsmgr[ \t]*fifo[ \t]`), "updating the tlsmgr from fifo to unix service",
			[]substitution{sub(`fifo`, "unix"), sub(`[0-9][0-9]*`, "${0}?")}}),
		m.add(masterAddition{`^tlsmgr.*tlsmgr`, "tlsmgr service", "tlsmgr    unix  -       -       n       1000?   1       tlsmgr"}),
		m.add(masterAddition{`^retry.*error`, "retry service", "retry     unix  -       -       n       -       -       error"}),
		m.add(masterAddition{`^proxywrite.*proxymap`, "proxywrite service", "proxywrite unix -       -       n       -       1       proxymap"}),
		m.fix(masterFix{regexp.MustCompile(`^proxywrite.*-[ \t]*proxymap`), "setting proxywrite process limit to 1",
			[]substitution{sub(`-([ \t]*proxymap)`, "1${1}")}}),
		m.add(masterAddition{`^#*smtp.*postscreen`, "postscreen TCP service", "#smtp      inet  n       -       n       -       1       postscreen"}),
		m.add(masterAddition{`^#*smtpd.*smtpd`, "smtpd unix-domain service", "#smtpd     pass  -       -       n       -       -       smtpd"}),
		m.add(masterAddition{`^#*dnsblog.*dnsblog`, "dnsblog unix-domain service", "#dnsblog   unix  -       -       n       -       0       dnsblog"}),
		m.add(masterAddition{`^#*tlsproxy.*tlsproxy`, "tlsproxy unix-domain service", "#tlsproxy  unix  -       -       n       -       0       tlsproxy"}),
		p.reportObsolete,
		p.fixInetProtocols,
		m.add(masterAddition{`^postlog`, "postlog unix-domain datagram service", "postlog   unix-dgram n  -       n       -       1       postlogd"}),
	}
	for _, step := range steps {
		if !step() {
			return 1
		}
	}
	return -1
}

// fixHashQueueNames makes sure that defer and deferred are hashed (the
// script's test is a substring match, so "deferred" counts for "defer").
func (p *postInstall) fixHashQueueNames() bool {
	found, err := p.postconfValue("-c", p.vars["config_directory"], "-h", "hash_queue_names")
	if err != nil {
		found = ""
	}
	missing := ""
	if !strings.Contains(found, "defer") {
		missing += " defer"
	}
	if !strings.Contains(found, "deferred") {
		missing += " deferred"
	}
	if missing == "" {
		return true
	}
	fmt.Printf("fixing main.cf hash_queue_names for missing%s\n", missing)
	return p.runPostconf("-c", p.vars["config_directory"], "-e", "hash_queue_names="+found+missing) == nil
}

const obsoleteText = `
    Note: the following files or directories still exist but are
    no longer part of Postfix:

    %s

`

// reportObsolete lists the postfix-files entries flagged obsolete that
// still exist.
func (p *postInstall) reportObsolete() bool {
	if len(p.obsolete) > 0 {
		fmt.Print(fill(fmt.Sprintf(obsoleteText, " "+strings.Join(p.obsolete, " "))))
	}
	return true
}

const inetProtocolsText = `    COMPATIBILITY: editing %s/main.cf, setting
    inet_protocols=ipv4.  Specify inet_protocols explicitly if you
    want to enable IPv6.
    In a future release IPv6 will be enabled by default.
`

// fixInetProtocols is the Postfix 2.9 safety net: when the built-in
// default is not ipv4 and main.cf does not choose, choose ipv4.
func (p *postInstall) fixInetProtocols() bool {
	def, _ := p.postconfValue("-dh", "inet_protocols")
	if def == "ipv4" {
		return true
	}
	dir := p.vars["config_directory"]
	if set, _ := p.postconfValue("-c", dir, "-n", "inet_protocols"); set != "" {
		return true
	}
	fmt.Print(fill(fmt.Sprintf(inetProtocolsText, dir)))
	return p.runPostconf("-c", dir, "inet_protocols=ipv4") == nil
}

// firstInstallReminder is post-install's first-install-reminder.
func (p *postInstall) firstInstallReminder() {
	dir := p.vars["config_directory"]
	aliases, _ := p.postconfValue("-c", dir, "-h", "alias_database")
	if _, after, ok := strings.Cut(aliases, ":"); ok {
		aliases = after
	}
	newaliases, _ := p.postconfValue("-c", dir, "-h", "newaliases_path")
	fmt.Print(fill(fmt.Sprintf(reminderText, dir, aliases, newaliases)))
}

const reminderText = `
    Warning: you still need to edit myorigin/mydestination/mynetworks
    parameter settings in %s/main.cf.

    See also http://www.postfix.org/STANDARD_CONFIGURATION_README.html
    for information about dialup sites or about sites inside a
    firewalled network.

    BTW: Check your %s file and be sure to set up aliases
    that send mail for root and postmaster to a real person, then
    run %s.

`
