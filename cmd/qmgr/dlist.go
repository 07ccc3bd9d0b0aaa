package main

// links is an element's place on one intrusive list.
type links[T any] struct{ prev, next *T }

// dlist is an intrusive doubly-linked list, as qmgr's QMGR_LIST_*
// macros keep them: an element carries one links value per list it can
// be on, and at returns the one this list uses. The scheduler needs
// what slices make awkward: insertion before a given job, removal from
// the middle, walking on from an element, and rotation.
type dlist[T any] struct {
	head, tail *T
	n          int
	at         func(*T) *links[T]
}

func newList[T any](at func(*T) *links[T]) dlist[T] { return dlist[T]{at: at} }

func (l *dlist[T]) first() *T     { return l.head }
func (l *dlist[T]) last() *T      { return l.tail }
func (l *dlist[T]) len() int      { return l.n }
func (l *dlist[T]) next(x *T) *T  { return l.at(x).next }
func (l *dlist[T]) prev(x *T) *T  { return l.at(x).prev }
func (l *dlist[T]) empty() bool   { return l.head == nil }
func (l *dlist[T]) pushBack(x *T) { l.insert(l.tail, x, nil) }

// pushFront puts x first.
func (l *dlist[T]) pushFront(x *T) { l.insert(nil, x, l.head) }

// insert links x between prev and next, which are neighbours (nil for
// the ends).
func (l *dlist[T]) insert(prev, x, next *T) {
	lx := l.at(x)
	lx.prev, lx.next = prev, next
	if prev != nil {
		l.at(prev).next = x
	} else {
		l.head = x
	}
	if next != nil {
		l.at(next).prev = x
	} else {
		l.tail = x
	}
	l.n++
}

// remove unlinks x, which must be on the list.
func (l *dlist[T]) remove(x *T) {
	lx := l.at(x)
	if lx.prev != nil {
		l.at(lx.prev).next = lx.next
	} else {
		l.head = lx.next
	}
	if lx.next != nil {
		l.at(lx.next).prev = lx.prev
	} else {
		l.tail = lx.prev
	}
	lx.prev, lx.next = nil, nil
	l.n--
}

// rotate makes x the last element and its successor the first, keeping
// the cyclic order (round-robin selection).
func (l *dlist[T]) rotate(x *T) {
	if l.at(x).next == nil {
		return
	}
	l.at(l.head).prev = l.tail
	l.at(l.tail).next = l.head
	lx := l.at(x)
	l.head = lx.next
	l.at(l.head).prev = nil
	l.tail = x
	lx.next = nil
}

// slice returns the elements in order, for loops that change the list.
func (l *dlist[T]) slice() []*T {
	out := make([]*T, 0, l.n)
	for x := l.head; x != nil; x = l.at(x).next {
		out = append(out, x)
	}
	return out
}
