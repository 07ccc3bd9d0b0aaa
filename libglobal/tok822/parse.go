package tok822

import "strings"

// Parser states.
const (
	doWord  = 1 << 0 // a word may start an address here
	doGroup = 1 << 1 // inside a named group ("name: a, b;")
)

// Parse converts an external-form address list to a parse tree, as
// tok822_parse: the result is a list of Addr tokens (each holding one
// address's tokens), ',' separators, and whatever surrounds the addresses
// (phrases, comments, angle brackets, group names). Nil for empty input.
func Parse(s string) *Token { return ParseLimit(s, 0) }

// ParseLimit is Parse with an upper bound on the number of tokens scanned
// (0 means no bound), as tok822_parse_limit.
func ParseLimit(s string, limit int) *Token {
	first, last := ScanLimit(s, limit)
	if first == nil {
		return nil
	}

	// Sentinels of type 0 on both ends keep the right-to-left walk simple.
	head, tail := &Token{}, &Token{}
	head.Next, first.Prev = first, head
	last.Next, tail.Prev = tail, last

	// Walk from right to left. The address being collected lies between tp
	// and right; anything not understood stays where it is.
	state := doWord
	right := tail
	tp := tail.Prev
	for tp.Type != 0 {
		switch {
		case tp.Type == Comment:
			// Move comments to the right of the address.
			prev := Unlink(tp)
			right = Prepend(right, tp)
			tp = prev
			continue
		case tp.Type == ';':
			// Right-hand end of a named group.
			right = group(tp, right, true)
			state = doGroup | doWord
		case tp.Type == ':' && state&doGroup != 0:
			tp.Type = StartGroup
			group(tp, right, false)
			for tp.Type != 0 && tp.Type != ',' {
				tp = tp.Prev
			}
			right = tp
			continue
		case tp.Type == '>':
			// Right-hand end of <route-addr>: group what lies between the
			// brackets, moving comments out of the way.
			right = group(tp, right, true)
			for tp.Type != 0 && tp.Type != '<' {
				if tp.Type == Comment {
					prev := Unlink(tp)
					right = Prepend(right, tp)
					tp = prev
					continue
				}
				tp = tp.Prev
			}
			group(tp, right, false)
			for tp.Type != 0 && (tp.Type >= MinTok || strings.IndexByte(">;,:", byte(tp.Type)) < 0) {
				tp = tp.Prev
			}
			right = tp
			state |= doWord
			continue
		case tp.Type == Atom || tp.Type == QString || tp.Type == DomLit:
			// Two words in a row: the right one is an address of its own.
			if state&doWord == 0 {
				right = group(tp, right, true).Next
			}
			state &^= doWord
		case tp.Type == ',':
			right = group(tp, right, false)
			state |= doWord
		default:
			state |= doWord
		}
		tp = tp.Prev
	}
	group(tp, right, false)

	// Drop the sentinels.
	var result *Token
	if head.Next != tail {
		result = head.Next
	}
	CutBefore(head.Next)
	CutBefore(tail)
	return result
}

// group moves the tokens strictly between left and right under a new Addr
// token placed after left. With addComma a ',' is inserted between left and
// the new group to resynchronize. It returns left (tok822_group).
func group(left, right *Token, addComma bool) *Token {
	first := left.Next
	if left == right || first == right {
		return left
	}
	CutBefore(right)
	CutBefore(first)
	g := New(Addr, "")
	SubAppend(g, first)
	Append(left, g)
	Append(g, right)
	if addComma {
		Append(left, New(',', ""))
	}
	return left
}
