package tok822

// Tree editing, as Postfix's tok822_tree.c. The functions keep Owner
// pointers consistent: a list inserted next to a token inherits that
// token's owner.

// setOwner gives every token of the list starting at t the owner o and
// returns the last token of that list.
func setOwner(t, o *Token) *Token {
	t.Owner = o
	for t.Next != nil {
		t = t.Next
		t.Owner = o
	}
	return t
}

// Append inserts the list starting at t2 after t1 and returns the last
// token of the inserted list (tok822_append).
func Append(t1, t2 *Token) *Token {
	next := t1.Next
	t1.Next = t2
	t2.Prev = t1
	end := setOwner(t2, t1.Owner)
	end.Next = next
	if next != nil {
		next.Prev = end
	}
	return end
}

// Prepend inserts the list starting at t2 before t1 and returns the last
// token of the inserted list (tok822_prepend).
func Prepend(t1, t2 *Token) *Token {
	prev := t1.Prev
	if prev != nil {
		prev.Next = t2
	}
	t2.Prev = prev
	end := setOwner(t2, t1.Owner)
	end.Next = t1
	t1.Prev = end
	return end
}

// CutBefore splits the list before t and returns the token that preceded
// it, or nil (tok822_cut_before).
func CutBefore(t *Token) *Token {
	prev := t.Prev
	if prev != nil {
		prev.Next = nil
		t.Prev = nil
	}
	return prev
}

// CutAfter splits the list after t and returns the token that followed it,
// or nil (tok822_cut_after).
func CutAfter(t *Token) *Token {
	next := t.Next
	if next != nil {
		next.Prev = nil
		t.Next = nil
	}
	return next
}

// Unlink takes t out of its list and returns its predecessor, or nil
// (tok822_unlink). The owner's Head/Tail are not adjusted, as in Postfix.
func Unlink(t *Token) *Token {
	prev, next := t.Prev, t.Next
	if prev != nil {
		prev.Next = next
	}
	if next != nil {
		next.Prev = prev
	}
	t.Prev, t.Next = nil, nil
	return prev
}

// SubAppend appends the list t2 to the members of t1 and returns the new
// last member (tok822_sub_append).
func SubAppend(t1, t2 *Token) *Token {
	if t1.Head != nil {
		t1.Tail = Append(t1.Tail, t2)
		return t1.Tail
	}
	t1.Head = t2
	t1.Tail = setOwner(t2, t1)
	return t1.Tail
}

// SubPrepend prepends the list t2 to the members of t1 and returns the last
// token of the inserted list (tok822_sub_prepend).
func SubPrepend(t1, t2 *Token) *Token {
	if t1.Head != nil {
		end := Prepend(t1.Head, t2)
		t1.Head = t2
		return end
	}
	t1.Head = t2
	t1.Tail = setOwner(t2, t1)
	return t1.Tail
}

// SubKeepBefore keeps the members of t1 before t2 and returns the last
// token of the cut-off part, which starts at t2 (tok822_sub_keep_before).
func SubKeepBefore(t1, t2 *Token) *Token {
	tail := t1.Tail
	t1.Tail = CutBefore(t2)
	if t1.Tail == nil {
		t1.Head = nil
	}
	return tail
}

// SubKeepAfter keeps the members of t1 after t2 and returns the first token
// of the cut-off part, which ends at t2 (tok822_sub_keep_after).
func SubKeepAfter(t1, t2 *Token) *Token {
	head := t1.Head
	t1.Head = CutAfter(t2)
	if t1.Head == nil {
		t1.Tail = nil
	}
	return head
}

// SetMembers replaces the members of t with the list head..tail, as
// Postfix's callers do after rewriting an address (addr->head =
// tok822_scan(text, &addr->tail)). Like there, the members' Owner is left
// as it is (nil for a fresh Scan). Nil head and tail empty t.
func SetMembers(t, head, tail *Token) {
	t.Head, t.Tail = head, tail
}

// Rewrite replaces the members of the Addr token addr by the result of
// passing their external form through rewrite, as tok822_rewrite does with
// the trivial-rewrite service as rewrite.
func Rewrite(addr *Token, rewrite func(external string) string) {
	if addr.Type != Addr {
		panic("tok822: Rewrite of a non-address token")
	}
	head, tail := Scan(rewrite(Externalize(addr.Head, 0, nil)))
	SetMembers(addr, head, tail)
}

// Grep returns the tokens of the list starting at t whose type is typ, or
// all of them when typ is 0 (tok822_grep). Members of groups are not
// visited.
func Grep(t *Token, typ int) []*Token {
	var out []*Token
	for ; t != nil; t = t.Next {
		if typ == 0 || t.Type == typ {
			out = append(out, t)
		}
	}
	return out
}

// Apply calls action for each token of the list of type typ (all when typ
// is 0) and stops at the first non-zero result, which it returns
// (tok822_apply).
func Apply(t *Token, typ int, action func(*Token) int) int {
	for ; t != nil; t = t.Next {
		if typ == 0 || t.Type == typ {
			if r := action(t); r != 0 {
				return r
			}
		}
	}
	return 0
}

// FindType returns the first token of type typ from t forward, or nil
// (tok822_find_type).
func FindType(t *Token, typ int) *Token {
	for t != nil && t.Type != typ {
		t = t.Next
	}
	return t
}

// RFindType returns the first token of type typ from t backward, or nil
// (tok822_rfind_type).
func RFindType(t *Token, typ int) *Token {
	for t != nil && t.Type != typ {
		t = t.Prev
	}
	return t
}

// Last returns the last token of the list containing t, or nil.
func Last(t *Token) *Token {
	if t == nil {
		return nil
	}
	for t.Next != nil {
		t = t.Next
	}
	return t
}
