package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/params"
)

// postconf5Intro is the DESCRIPTION of postconf(5), in paragraphs.
var postconf5Intro = []string{
	"main.cf, in the configuration directory (/etc/postfix unless MAIL_CONFIG or a -c option names another), holds the settings of every Postfix program. Each setting is a line \"name = value\"; white space around the \"=\" and at the end of the value is dropped, and an empty value is allowed. A line that starts with white space continues the line before it, and lines whose first non-blank character is \"#\" are comments, even between continuation lines. When a name is set twice, the later setting wins.",
	"Values may refer to other parameters: $name and ${name} are replaced by that parameter's value (its built-in default when main.cf does not set it), and $$ is a dollar sign. ${name?text} gives text when name is not empty, ${name:text} when it is, ${name?{text1}:{text2}} chooses between two texts, and ${{left} op {right}?{text1}:{text2}} compares two expanded texts with ==, !=, <, <=, >= or > (as numbers when both are all digits). The programs expand a value when they read it; the parameters marked raw below are kept as written because their $ placeholders are filled in later, per message or per recipient.",
	"Lists are separated by commas and/or white space. A lookup table is named type:name (hash:/etc/postfix/access, cdb:..., regexp:..., proxy:type:name); postconf -m lists the supported types. A time is a number with an optional unit letter: s (seconds), m (minutes), h (hours), d (days) or w (weeks); without one the unit below applies. A boolean is yes or no.",
	"master.cf entries can override any parameter for one service with -o name=value. postconf(1) shows the values in effect (postconf -n those set in main.cf, postconf -d the defaults below) and edits main.cf with postconf -e.",
}

// computedDefaults says how the defaults that depend on the host or the
// process are found (libglobal/params.Defaults).
var computedDefaults = map[string]string{
	"myhostname":   "The host name from gethostname(2); when it has no dot, \".localdomain\" is appended, or \".$mydomain\" when main.cf sets mydomain.",
	"mydomain":     "The part of myhostname after its first dot; localdomain when it has none.",
	"mynetworks":   "The networks of the addresses in inet_interfaces (every interface when that is all) filtered by inet_protocols, as mynetworks_style says: host (each address alone), subnet (the interface's network) or class (the IPv4 class A, B or C network).",
	"process_id":   "The process ID of the program that reads it.",
	"process_name": "The name of the program that reads it.",
}

// postconfPage renders postconf(5): the main.cf syntax and every
// built-in parameter with its default, type and limits.
func postconfPage() string {
	w := &writer{params: &paramDefaults{listed: map[string]bool{}}}
	w.line(`.TH POSTCONF 5 "" "gopostfix" "File Formats Manual"`)
	w.line(".nh")
	w.line(".ad l")
	w.section("NAME")
	w.line(`postconf \- Postfix configuration parameters`)
	w.section(secSynopsis)
	w.hanging([]string{`\fBpostconf \-d\fR [\fIname\fR ...]`, `\fBpostconf \-n\fR`})
	w.section("DESCRIPTION")
	for _, p := range postconf5Intro {
		w.paragraph(inline(p))
	}
	w.section("PARAMETERS")
	all := params.All()
	w.paragraph(inline(fmt.Sprintf("The %d parameters that the programs know, sorted by name, with the default that postconf -d shows. Names that master.cf services add (for example smtp_destination_concurrency_limit for a service called smtp) and the parameters of database clients are derived from these and are not listed.", len(all))))
	for _, p := range all {
		w.line(".TP")
		w.line(`\fB` + esc(p.Name) + `\fR (default: ` + italicBreakable(defaultText(p)) + `)`)
		if d := describeParam(p); d != "" {
			w.b.WriteString(wrap(inline(d), width))
		}
	}
	w.section(secSeeAlso)
	w.paragraph(inline("postconf(1), master(8), postmap(1)"))
	return w.b.String()
}

// describeParam says, in one or two sentences, what kind of value a
// parameter takes and how the programs treat it.
func describeParam(p *params.Param) string {
	var parts []string
	switch p.Kind {
	case params.Bool:
		parts = append(parts, "yes or no.")
	case params.Int:
		parts = append(parts, "An integer"+bounds(p, "")+".")
	case params.Long:
		parts = append(parts, "A number of bytes"+bounds(p, "")+".")
	case params.Time:
		u := unitName(p.Unit)
		parts = append(parts, "A time; a number without unit counts "+u+bounds(p, "s")+".")
	default:
		switch {
		case p.Min > 0 && p.Max > 0:
			parts = append(parts, fmt.Sprintf("Text of %d to %d characters.", p.Min, p.Max))
		case p.Min == 1:
			parts = append(parts, "Text that must not be empty.")
		case p.Min > 1:
			parts = append(parts, fmt.Sprintf("Text of at least %d characters.", p.Min))
		}
	}
	if c, ok := computedDefaults[p.Name]; ok {
		parts = append(parts, c)
	}
	if p.Raw {
		parts = append(parts, "Raw: not $-expanded when read; its placeholders are filled in at use.")
	}
	if p.ReadOnly {
		parts = append(parts, "Set by each program for itself; a main.cf setting is ignored.")
	}
	return strings.Join(parts, " ")
}

// bounds describes Min and Max; unit follows each number.
func bounds(p *params.Param, unit string) string {
	switch {
	case p.Min != 0 && p.Max != 0:
		return fmt.Sprintf(" from %d%s to %d%s", p.Min, unit, p.Max, unit)
	case p.Min != 0:
		return fmt.Sprintf(", at least %d%s", p.Min, unit)
	case p.Max != 0:
		return fmt.Sprintf(", at most %d%s", p.Max, unit)
	}
	return ""
}

func unitName(u byte) string {
	switch u {
	case 'm':
		return "minutes"
	case 'h':
		return "hours"
	case 'd':
		return "days"
	case 'w':
		return "weeks"
	}
	return "seconds"
}
