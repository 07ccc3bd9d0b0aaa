package main

import (
	"go/doc/comment"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopostfix/libglobal/params"
)

// paramDefaults looks up parameter defaults for a page and remembers which
// parameters the page has already described.
type paramDefaults struct{ listed map[string]bool }

func (d *paramDefaults) lookup(name string) (string, bool) {
	p, ok := params.Lookup(name)
	if !ok {
		return "", false
	}
	return defaultText(p), true
}

// docSection is one "# Heading" part of a doc comment ("" for the text
// before the first heading).
type docSection struct {
	title  string
	blocks []comment.Block
}

// splitSections cuts a parsed doc comment at its headings.
func splitSections(d *comment.Doc) []docSection {
	secs := []docSection{{}}
	for _, b := range d.Content {
		if h, ok := b.(*comment.Heading); ok {
			secs = append(secs, docSection{title: plain(h.Text)})
			continue
		}
		s := &secs[len(secs)-1]
		s.blocks = append(s.blocks, b)
	}
	return secs
}

// parseDoc parses a doc comment without doc links: square brackets in
// command-line grammar must stay text.
func parseDoc(text string) *comment.Doc {
	p := comment.Parser{
		LookupPackage: func(string) (string, bool) { return "", false },
		LookupSym:     func(string, string) bool { return false },
	}
	return p.Parse(text)
}

// special section titles, compared case-insensitively.
const (
	secSynopsis    = "SYNOPSIS"
	secParameters  = "CONFIGURATION PARAMETERS"
	secSeeAlso     = "SEE ALSO"
	secDiagnostics = "DIAGNOSTICS"
)

func canonicalTitle(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	if t == "USAGE" {
		return secSynopsis
	}
	return t
}

// page renders the manual page of one program.
func page(p *program, all []*program) string {
	names := map[string]bool{}
	for _, q := range all {
		names[q.Name] = true
		for _, a := range aliases[q.Name] {
			names[a] = true
		}
	}
	w := &writer{names: names, params: &paramDefaults{listed: map[string]bool{}}}
	kind := map[int]string{1: "User Commands", 5: "File Formats Manual", 8: "System Manager's Manual"}[p.Section]
	w.line(`.TH ` + strings.ToUpper(esc(p.Name)) + ` ` + strconv.Itoa(p.Section) + ` "" "gopostfix" "` + kind + `"`)
	w.line(".nh")
	w.line(".ad l")

	secs, order := docSections(p.Doc)

	w.section("NAME")
	w.line(esc(strings.Join(append([]string{p.Name}, aliases[p.Name]...), ", ")) + ` \- ` + esc(summary(p)))

	w.section(secSynopsis)
	if s, ok := secs[secSynopsis]; ok {
		w.synopsis(s.blocks)
	} else if p.daemon() {
		w.hanging([]string{`\fB` + esc(p.Name) + `\fR [\fIgeneric daemon options\fR]`})
	} else {
		w.hanging([]string{getoptSynopsis(p.Name, p.Optstr)})
	}

	for _, t := range order {
		bs := secs[t].blocks
		switch {
		case t == secSynopsis, t == secParameters, t == secSeeAlso, len(bs) == 0:
			continue
		}
		w.section(t)
		if t == "DESCRIPTION" && len(bs) > 0 {
			if para, ok := bs[0].(*comment.Paragraph); ok {
				w.paragraph(subject(p.Name, plain(para.Text)))
				bs = bs[1:]
			}
		}
		w.blocks(bs)
	}
	if p.daemon() {
		w.daemonOptions()
		if _, ok := secs[secDiagnostics]; !ok {
			w.section(secDiagnostics)
			w.paragraph(inline(daemonDiagnostics))
		}
	}
	w.parameters(p, secs[secParameters])
	w.seeAlso(p, secs)
	return w.b.String()
}

// docSections parses a doc comment into its sections by canonical title
// (DESCRIPTION for the text before the first heading; repeated headings
// are merged) and their order.
func docSections(doc string) (map[string]docSection, []string) {
	secs := map[string]docSection{}
	var order []string
	for i, s := range splitSections(parseDoc(doc)) {
		t := "DESCRIPTION"
		if i > 0 {
			t = canonicalTitle(s.title)
		}
		if _, dup := secs[t]; !dup {
			order = append(order, t)
		}
		prev := secs[t]
		secs[t] = docSection{title: t, blocks: append(prev.blocks, s.blocks...)}
	}
	return secs, order
}

// synopsis renders the code blocks of a Synopsis section, one command
// line per line; indented lines continue the line before.
func (w *writer) synopsis(bs []comment.Block) {
	var lines []string
	for _, b := range bs {
		switch b := b.(type) {
		case *comment.Code:
			for _, l := range strings.Split(strings.TrimSuffix(b.Text, "\n"), "\n") {
				switch {
				case strings.TrimSpace(l) == "":
				case (l[0] == ' ' || l[0] == '\t') && len(lines) > 0:
					lines[len(lines)-1] += " " + strings.TrimSpace(l)
				default:
					lines = append(lines, l)
				}
			}
		case *comment.Paragraph:
			lines = append(lines, "\x00"+plain(b.Text))
		}
	}
	var roff []string
	for _, l := range lines {
		if text, ok := strings.CutPrefix(l, "\x00"); ok {
			w.hanging(roff)
			roff = nil
			w.paragraph(inline(text))
			continue
		}
		roff = append(roff, w.termLine(l))
	}
	w.hanging(roff)
	w.fresh = false
}

// hanging writes synopsis lines, each continued with a hanging indent
// when it is too long for one line.
func (w *writer) hanging(lines []string) {
	if len(lines) == 0 {
		return
	}
	w.line(".in +4n")
	for _, l := range lines {
		w.line(".ti -4n")
		w.line(l)
	}
	w.line(".in -4n")
}

// parameters writes CONFIGURATION PARAMETERS: the comment's own section,
// then every other parameter the program's code or comment names.
func (w *writer) parameters(p *program, own docSection) {
	w.section(secParameters)
	if own.blocks != nil {
		w.blocks(own.blocks)
	}
	set := map[string]bool{}
	for _, n := range p.Params {
		set[n] = true
	}
	for _, n := range paramsIn(p.Doc) {
		set[n] = true
	}
	var rest []string
	for n := range set {
		if !w.params.listed[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	if len(rest) == 0 {
		if own.blocks == nil {
			w.paragraph(inline("The program reads no main.cf parameters of its own; postconf(5) lists them all."))
		}
		return
	}
	intro := "The main.cf parameters that the program reads itself or that this page names, with their built-in defaults (postconf(5) describes every parameter):"
	if p.Section == 5 {
		intro = "The main.cf parameters that this page names, with their built-in defaults (postconf(5) describes every parameter):"
	}
	if own.blocks != nil {
		intro = "Other parameters that the program reads or that this page names, with their built-in defaults:"
	}
	w.paragraph(inline(intro))
	w.line(".RS 4")
	for i, n := range rest {
		if i > 0 {
			w.line(".br")
		}
		line := bold(n) + ` =`
		if par, _ := params.Lookup(n); par.Computed || par.Default != "" {
			line += ` ` + italicBreakable(defaultText(par))
		}
		w.b.WriteString(wrap(line, width))
	}
	w.line(".RE")
}

// pageRef matches a manual page reference in comment text.
var pageRef = regexp.MustCompile(`\b([A-Za-z][A-Za-z0-9_.+-]*)\(([1-8])\)`)

// seeAlso writes SEE ALSO: the comment's own section, or every page the
// comment refers to, plus master(8) for daemons and postconf(5).
func (w *writer) seeAlso(p *program, secs map[string]docSection) {
	w.section(secSeeAlso)
	if s, ok := secs[secSeeAlso]; ok {
		w.blocks(s.blocks)
		return
	}
	self := map[string]bool{p.Name: true}
	for _, a := range aliases[p.Name] {
		self[a] = true
	}
	type ref struct {
		name string
		sec  int
	}
	seen := map[ref]bool{{"postconf", 5}: true}
	if p.Section == 8 {
		seen[ref{"master", 8}] = true
	}
	for _, m := range pageRef.FindAllStringSubmatch(p.Doc, -1) {
		sec, _ := strconv.Atoi(m[2])
		seen[ref{m[1], sec}] = true
	}
	for r := range seen {
		if self[r.name] && r.sec == p.Section {
			delete(seen, r)
		}
	}
	refs := make([]ref, 0, len(seen))
	for r := range seen {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].sec != refs[j].sec {
			return refs[i].sec < refs[j].sec
		}
		return refs[i].name < refs[j].name
	})
	parts := make([]string, len(refs))
	for i, r := range refs {
		parts[i] = bold(r.name + "(" + strconv.Itoa(r.sec) + ")")
	}
	w.paragraph(strings.Join(parts, ", "))
}

// summary is the one-line description of the NAME section, taken from the
// first sentence of the doc comment.
func summary(p *program) string {
	if p.Summary != "" {
		return p.Summary
	}
	s := strings.Join(strings.Fields(p.Doc), " ")
	if i := sentenceEnd(s); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "Command "+p.Name+" ")
	for _, cut := range []string{" (", ": ", ", as ", "; "} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	s = pageRef.ReplaceAllString(s, "$1")
	s = strings.TrimPrefix(s, "is ")
	for _, art := range []string{"the ", "a ", "an "} {
		s = strings.TrimPrefix(s, art)
	}
	return strings.TrimSuffix(s, ".")
}

// sentenceEnd finds the end of the first sentence: a period followed by a
// space and a capital letter, or the end of the text.
func sentenceEnd(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && s[i+2] >= 'A' && s[i+2] <= 'Z' {
			return i
		}
	}
	return -1
}

// subject renders the first paragraph of the description, whose
// "Command NAME" subject reads as "NAME" in bold on the page.
func subject(name, text string) string {
	if rest, ok := strings.CutPrefix(text, "Command "+name+" "); ok {
		return bold(name) + " " + inline(rest)
	}
	return inline(text)
}
