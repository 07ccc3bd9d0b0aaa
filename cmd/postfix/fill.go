package main

import "strings"

// fill formats text as fmt(1) from GNU coreutils does with its defaults,
// which is how post-install shapes its longer notices: paragraphs are
// runs of lines with the same indentation, filled to at most 75 columns
// aiming at 70, with line breaks chosen to minimise fmt's cost function
// (squared distance from the goal, raggedness, and bonuses and penalties
// around sentence ends and punctuation). Blank lines are kept (emptied).
// Unlike fmt, a paragraph longer than 1000 words or 5000 bytes is filled
// in one piece rather than flushed in parts.
func fill(text string) string {
	var out strings.Builder
	f := &filler{out: &out}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i := 0; i < len(lines); {
		indent, rest := f.indentOf(lines[i])
		if rest == "" {
			out.WriteString("\n")
			i++
			continue
		}
		var words []fillWord
		for ; i < len(lines); i++ {
			ind, r := f.indentOf(lines[i])
			if r == "" || ind != indent {
				break
			}
			words = f.lineWords(words, ind, lines[i])
		}
		last := &words[len(words)-1]
		last.period, last.final = true, true
		f.paragraph(words, indent)
	}
	return out.String()
}

const (
	fillWidth = 75
	fillGoal  = fillWidth * (2*(100-7) + 1) / 200
	tabWidth  = 8
)

func equiv(n int64) int64     { return n * n }
func shortCost(n int64) int64 { return equiv(n * 10) }

type fillWord struct {
	text                        string
	space                       int
	paren, period, punct, final bool
	lineLength                  int
	bestCost                    int64
	nextBreak                   int
}

type filler struct {
	out  *strings.Builder
	tabs bool // the input had a tab: output may use tabs for spacing
}

// indentOf returns the column of the first non-blank byte of line and
// the rest of the line after it ("" for a blank line).
func (f *filler) indentOf(line string) (int, string) {
	col := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			f.tabs = true
			col = (col/tabWidth + 1) * tabWidth
		case '\n':
			return col, ""
		default:
			return col, line[i:]
		}
	}
	return col, ""
}

func isFillSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// lineWords appends the words of one input line. A word that ends a
// sentence ([.?!] followed by closing marks, then the end of the line or
// two spaces) is followed by two spaces in the output, others by their
// input spacing, or one space at the end of a line.
func (f *filler) lineWords(words []fillWord, col int, line string) []fillWord {
	i := 0
	for i < len(line) && !(line[i] != ' ' && line[i] != '\t') {
		i++
	}
	for i < len(line) && line[i] != '\n' {
		start := i
		for i < len(line) && !isFillSpace(line[i]) {
			i++
		}
		w := fillWord{text: line[start:i]}
		col += i - start
		w.setPunctuation()
		spaceStart := col
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				f.tabs = true
				col = (col/tabWidth + 1) * tabWidth
			} else {
				col++
			}
			i++
		}
		w.space = col - spaceStart
		eol := i >= len(line) || line[i] == '\n'
		w.final = i >= len(line) || w.period && (eol || w.space > 1)
		if eol {
			w.space = 1
			if w.final {
				w.space = 2
			}
		}
		words = append(words, w)
	}
	return words
}

func (w *fillWord) setPunctuation() {
	t := w.text
	w.paren = strings.IndexByte("(['`\"", t[0]) >= 0
	w.punct = isPunct(t[len(t)-1])
	end := len(t) - 1
	for end > 0 && strings.IndexByte(")]'\"", t[end]) >= 0 {
		end--
	}
	w.period = strings.IndexByte(".?!", t[end]) >= 0
}

func isPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// paragraph chooses the breaks (fmt's fmt_paragraph) and writes the lines.
func (f *filler) paragraph(words []fillWord, indent int) {
	n := len(words)
	words = append(words, fillWord{})
	length := func(i int) int {
		if i == n {
			return fillWidth
		}
		return len(words[i].text)
	}
	for start := n - 1; start >= 0; start-- {
		best := int64(1<<63 - 1)
		l := indent + length(start)
		for w := start + 1; ; w++ {
			cost := f.lineCost(words, n, w, l) + words[w].bestCost
			if cost < best {
				best = cost
				words[start].nextBreak = w
				words[start].lineLength = l
			}
			if w == n {
				break
			}
			l += words[w-1].space + length(w)
			if l >= fillWidth {
				break
			}
		}
		words[start].bestCost = best + baseCost(words, start)
	}
	for w := 0; w < n; w = words[w].nextBreak {
		f.putLine(words, w, indent)
	}
}

func (f *filler) lineCost(words []fillWord, n, next, l int) int64 {
	if next == n {
		return 0
	}
	cost := shortCost(int64(fillGoal - l))
	if words[next].nextBreak != n {
		cost += shortCost(int64(l-words[next].lineLength)) / 2
	}
	return cost
}

func baseCost(words []fillWord, this int) int64 {
	cost := equiv(70)
	if this > 0 {
		prev := words[this-1]
		switch {
		case prev.period && prev.final:
			cost -= equiv(50)
		case prev.period:
			cost += equiv(600)
		case prev.punct:
			cost -= equiv(40)
		case this > 1 && words[this-2].final:
			cost += equiv(200) / int64(len(prev.text)+2)
		}
	}
	if words[this].paren {
		cost -= equiv(40)
	} else if words[this].final {
		cost += equiv(150) / int64(len(words[this].text)+2)
	}
	return cost
}

func (f *filler) putLine(words []fillWord, w, indent int) {
	col := 0
	f.putSpace(&col, indent)
	end := words[w].nextBreak - 1
	for ; w != end; w++ {
		f.out.WriteString(words[w].text)
		col += len(words[w].text)
		f.putSpace(&col, words[w].space)
	}
	f.out.WriteString(words[w].text)
	f.out.WriteString("\n")
}

func (f *filler) putSpace(col *int, space int) {
	target := *col + space
	if f.tabs {
		tabTarget := target / tabWidth * tabWidth
		if *col+1 < tabTarget {
			for *col < tabTarget {
				f.out.WriteByte('\t')
				*col = (*col/tabWidth + 1) * tabWidth
			}
		}
	}
	for *col < target {
		f.out.WriteByte(' ')
		*col++
	}
}
