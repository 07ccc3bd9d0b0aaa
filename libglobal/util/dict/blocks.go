package dict

// BlockKind says whether a pattern-table rule opens or closes an
// IF...ENDIF block.
type BlockKind int

const (
	BlockNone  BlockKind = iota // an ordinary rule
	BlockIf                     // IF pattern
	BlockEndif                  // ENDIF
)

// Blocks pairs the IF and ENDIF rules of a pattern table (regexp, pcre,
// cidr) while the table is parsed, and tells lookups where a block whose
// IF condition fails ends. Rules are numbered in the order they are added,
// from 0.
type Blocks struct {
	open []int // rule numbers of the IFs not closed yet, outermost first
	end  []int // per rule: the number of its ENDIF, or -1
}

// Depth is the number of IF blocks open at this point of the parse; an
// ENDIF at depth 0 has no IF and must not be added.
func (b *Blocks) Depth() int { return len(b.open) }

// Add records the next rule.
func (b *Blocks) Add(kind BlockKind) {
	n := len(b.end)
	b.end = append(b.end, -1)
	switch kind {
	case BlockIf:
		b.open = append(b.open, n)
	case BlockEndif:
		if len(b.open) == 0 {
			panic("dict: ENDIF without IF added to Blocks")
		}
		b.end[b.open[len(b.open)-1]] = n
		b.open = b.open[:len(b.open)-1]
	}
}

// Unclosed returns the rule numbers of the IFs that have no ENDIF,
// innermost first, the order in which Postfix warns about them.
func (b *Blocks) Unclosed() []int {
	out := make([]int, 0, len(b.open))
	for i := len(b.open) - 1; i >= 0; i-- {
		out = append(out, b.open[i])
	}
	return out
}

// Skip returns the rule number of the ENDIF that closes the IF rule i,
// where a lookup whose IF condition failed goes on; ok is false when the
// IF has no ENDIF, so that nothing after it can match.
func (b *Blocks) Skip(i int) (endif int, ok bool) {
	if e := b.end[i]; e >= 0 {
		return e, true
	}
	return 0, false
}
