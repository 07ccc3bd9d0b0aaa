package main

import "strings"

// lineWrap breaks text into lines of at most width columns at blanks
// (line_wrap): trailing blanks of each piece are dropped and every line
// after the first is indented by indent spaces (and counts them).
func lineWrap(text string, width, indent int, out func(string)) {
	isSpace := func(c byte) bool { return strings.IndexByte(" \t\n\v\f\r", c) >= 0 }
	trim := func(s string) string {
		n := len(s)
		for n > 0 && isSpace(s[n-1]) {
			n--
		}
		return s[:n]
	}
	curIndent, curLen := 0, width
	if indent < 0 {
		curIndent, curLen = -indent, width+indent
	}
	emit := func(s string) { out(strings.Repeat(" ", curIndent) + trim(s)) }
	start, word := 0, 0
	for {
		next := word + strings.IndexAny(text[word:], " \t")
		if next < word {
			next = len(text)
		}
		if word > start && next-start > curLen {
			emit(text[start:word])
			for word < len(text) && isSpace(text[word]) {
				word++
			}
			if start == 0 {
				curIndent += indent
				curLen -= indent
			}
			start = word
		}
		if next >= len(text) {
			break
		}
		word = next + 1
	}
	emit(text[start:])
}
