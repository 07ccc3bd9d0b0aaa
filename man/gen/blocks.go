package main

import (
	"go/doc/comment"
	"strings"
)

// width is the length of the roff source lines that prose is filled to.
const width = 78

// writer accumulates roff source for one page.
type writer struct {
	b      strings.Builder
	fresh  bool            // right after .SH: a paragraph needs no .PP
	names  map[string]bool // program names, set in bold in terms
	params *paramDefaults  // decorates parameter terms with defaults
}

func (w *writer) line(s string) { w.b.WriteString(s); w.b.WriteByte('\n') }

func (w *writer) section(title string) {
	w.line(".SH " + quoteArg(strings.ToUpper(title)))
	w.fresh = true
}

// quoteArg quotes a macro argument that holds spaces.
func quoteArg(s string) string {
	s = esc(s)
	if strings.ContainsRune(s, ' ') {
		return `"` + strings.ReplaceAll(s, `"`, `\(dq`) + `"`
	}
	return s
}

// paragraph starts a new paragraph of filled prose.
func (w *writer) paragraph(roff string) {
	if !w.fresh {
		w.line(".PP")
	}
	w.fresh = false
	w.b.WriteString(wrap(roff, width))
}

func (w *writer) blocks(bs []comment.Block) {
	for _, b := range bs {
		switch b := b.(type) {
		case *comment.Paragraph:
			w.paragraph(inline(plain(b.Text)))
		case *comment.List:
			w.list(b)
		case *comment.Code:
			w.code(b.Text)
		case *comment.Heading:
			w.paragraph(`\fB` + esc(plain(b.Text)) + `\fR`)
		}
	}
}

func (w *writer) list(l *comment.List) {
	for _, item := range l.Items {
		tag := `\(bu`
		if item.Number != "" {
			tag = item.Number + "."
		}
		w.line(".IP " + tag + " 4")
		for i, b := range item.Content {
			if i > 0 {
				w.line(".IP \"\" 4")
			}
			if p, ok := b.(*comment.Paragraph); ok {
				w.b.WriteString(wrap(inline(plain(p.Text)), width))
			}
		}
	}
	w.fresh = false
}

// code renders a code block: a list of tagged paragraphs when it has that
// layout, else verbatim text.
func (w *writer) code(text string) {
	if entries, ok := tagged(text); ok {
		for _, e := range entries {
			w.line(".TP")
			w.line(w.termLine(e.term))
			for i, para := range e.paras {
				if i > 0 {
					w.line(".IP")
				}
				w.b.WriteString(wrap(inline(para), width))
			}
		}
		w.fresh = false
		return
	}
	if !w.fresh {
		w.line(".PP")
	}
	w.line(".RS 4")
	w.line(".nf")
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		w.line(verbatim(l))
	}
	w.line(".fi")
	w.line(".RE")
	w.fresh = false
}

// termLine renders a tag; a lone parameter name gets its default.
func (w *writer) termLine(t string) string {
	if d, ok := w.params.lookup(t); ok {
		w.params.listed[t] = true
		return `\fB` + esc(t) + `\fR (default: ` + italicBreakable(d) + `)`
	}
	s := term(t, w.names)
	if s != "" && (s[0] == '.' || s[0] == '\'') {
		s = `\&` + s
	}
	return s
}

// entry is one tagged paragraph of a code block: its term and the
// paragraphs of its description.
type entry struct {
	term  string
	paras []string
}

// tagged splits a code block laid out as terms at the left margin, each
// followed by tab-indented description lines (blank lines separate
// paragraphs). ok is false for any other layout.
func tagged(text string) (entries []entry, ok bool) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	described := false
	for _, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			if len(entries) > 0 {
				e := &entries[len(entries)-1]
				if n := len(e.paras); n > 0 && e.paras[n-1] != "" {
					e.paras = append(e.paras, "")
				}
			}
		case l[0] == '\t':
			if len(entries) == 0 {
				return nil, false
			}
			e := &entries[len(entries)-1]
			if n := len(e.paras); n == 0 || e.paras[n-1] == "" {
				if n > 0 {
					e.paras[n-1] = strings.TrimSpace(l)
				} else {
					e.paras = append(e.paras, strings.TrimSpace(l))
				}
			} else {
				e.paras[n-1] += " " + strings.TrimSpace(l)
			}
			described = true
		case l[0] == ' ':
			return nil, false
		default:
			entries = append(entries, entry{term: l})
		}
	}
	for i := range entries {
		if n := len(entries[i].paras); n > 0 && entries[i].paras[n-1] == "" {
			entries[i].paras = entries[i].paras[:n-1]
		}
	}
	return entries, described
}

// plain flattens doc comment text (links and all) to a string.
func plain(ts []comment.Text) string {
	var b strings.Builder
	for _, t := range ts {
		switch t := t.(type) {
		case comment.Plain:
			b.WriteString(string(t))
		case comment.Italic:
			b.WriteString(string(t))
		case *comment.Link:
			b.WriteString(plain(t.Text))
		case *comment.DocLink:
			b.WriteString("[" + plain(t.Text) + "]")
		}
	}
	return b.String()
}
