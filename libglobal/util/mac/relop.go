package mac

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Op is a relational operator of ${{L} OP {R}...}.
type Op int

// The six operators, in Postfix's table order.
const (
	EQ Op = iota + 1 // ==
	NE               // !=
	LT               // <
	LE               // <=
	GE               // >=
	GT               // >
)

var opNames = []string{EQ: "==", NE: "!=", LT: "<", LE: "<=", GE: ">=", GT: ">"}

func (op Op) String() string {
	if op >= EQ && op <= GT {
		return opNames[op]
	}
	return fmt.Sprintf("Op(%d)", int(op))
}

// Compare applies op to the sign of a comparison result (negative, zero,
// positive), for Relop implementations.
func (op Op) Compare(delta int) bool {
	switch op {
	case EQ:
		return delta == 0
	case NE:
		return delta != 0
	case LT:
		return delta < 0
	case LE:
		return delta <= 0
	case GE:
		return delta >= 0
	case GT:
		return delta > 0
	}
	return false
}

// Relop evaluates an operator with a suffix (e.g. "<level"). An error's
// text is logged as a warning and fails the expansion; an empty text fails
// it silently.
type Relop func(left string, op Op, right string) (bool, error)

// opChars are the bytes taken as the operator, for better diagnostics.
const opChars = "<>!=?+-*/~&|%"

// anyOp is Postfix's list of operators in its diagnostic, quirks included.
const anyOp = `"==" or "!="" or "<"" or "<="" or ">="" or ">"`

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareDefault compares numerically when both sides are all digits,
// bytewise otherwise.
func compareDefault(left string, op Op, right string) (bool, error) {
	if allDigits(left) && allDigits(right) {
		l, err := strconv.ParseInt(left, 10, 64)
		if err != nil {
			return false, fmt.Errorf("mac_exp_eval: bad conversion: %s", left)
		}
		r, err := strconv.ParseInt(right, 10, 64)
		if err != nil {
			return false, fmt.Errorf("mac_exp_eval: bad conversion: %s", right)
		}
		return op.Compare(cmp.Compare(l, r)), nil
	}
	return op.Compare(strings.Compare(left, right)), nil
}

// relational parses and evaluates "{L} OP {R}" at the start of s and
// returns the rest of s (after white space) and the result, "true" or "".
func (e *expansion) relational(s string) (rest, result string, ok bool) {
	left, cp, ok := e.curlyPayload(s)
	if !ok {
		return "", "", false
	}
	n := 0
	for n < len(cp) && strings.IndexByte(opChars, cp[n]) >= 0 {
		n++
	}
	opText := cp[:n]
	op := Op(0)
	for i := EQ; i <= GT; i++ {
		if opNames[i] == opText {
			op = i
		}
	}
	if op == 0 {
		e.fail("%s expected at: \"...%s}>>>%s\"", anyOp, left, head(cp))
		return "", "", false
	}
	cp = cp[n:]
	eval := compareDefault
	if len(e.opts.Relops) > 0 && cp != "" && isAlnum(cp[0]) {
		m := 1
		for m < len(cp) && isAlnum(cp[m]) {
			m++
		}
		suffix := cp[:m]
		cp = cp[m:]
		f, found := e.opts.Relops[suffix]
		if !found {
			e.fail("bad operator suffix at: \"...%s>>>%s\"", opText, suffix)
			return "", "", false
		}
		eval = f
	}
	rs, found := leftCurly(cp)
	if !found {
		e.fail("\"{expression}\" expected at: \"...{%s} %s>>>%s\"", left, opText, head(cp))
		return "", "", false
	}
	right, cp, ok := e.curlyPayload(rs)
	if !ok {
		return "", "", false
	}
	var lb, rb strings.Builder
	e.status |= run(&lb, left, e.lookup, e.opts, e.depth, e.warnings)
	e.status |= run(&rb, right, e.lookup, e.opts, e.depth, e.warnings)
	truth := false
	if !e.opts.Scan {
		var err error
		if truth, err = eval(lb.String(), op, rb.String()); err != nil {
			if text := err.Error(); text != "" {
				e.warn(text)
			}
			e.status |= statusError
		}
	}
	if e.status&statusError != 0 {
		return "", "", false
	}
	if truth {
		return cp, "true", true
	}
	return cp, "", true
}
