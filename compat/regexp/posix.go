// Package regexp binds the C library's POSIX regular expressions
// (regcomp/regexec/regerror from glibc, through cgo) for the "regexp"
// table type, as Postfix's src/util/dict_regexp.c uses them: REG_EXTENDED
// and REG_ICASE by default, REG_NOSUB when no substring is wanted, match
// offsets for exactly as many groups as the rule's replacement uses, and
// regerror's text in warnings. The table syntax itself (rules, if/endif,
// $n) is in compat/regtable; Table in table.go joins the two.
package regexp

/*
#include <regex.h>
#include <stdlib.h>

typedef struct gp_re {
	regex_t re;
	regmatch_t *pm;
	size_t npm;
} gp_re;

static int gp_regcomp(gp_re *r, const char *pat, int flags)
{
	return (regcomp(&r->re, pat, flags));
}

static size_t gp_nsub(gp_re *r)
{
	return (r->re.re_nsub);
}

static size_t gp_regerror(int err, gp_re *r, char *buf, size_t len)
{
	return (regerror(err, &r->re, buf, len));
}

static int gp_regexec(gp_re *r, const char *s)
{
	return (regexec(&r->re, s, r->npm, r->pm, 0));
}

static void gp_regfree(gp_re *r)
{
	regfree(&r->re);
	free(r->pm);
}
*/
import "C"

import (
	"strings"
	"unsafe"
)

// Flags for Compile, as regcomp(3) defines them.
const (
	Extended = C.REG_EXTENDED
	ICase    = C.REG_ICASE
	Newline  = C.REG_NEWLINE
	NoSub    = C.REG_NOSUB
)

// Regex is a compiled expression. It is not safe for concurrent use (it
// holds the offsets of the last match).
type Regex struct {
	r    *C.gp_re
	pm   []C.regmatch_t
	nsub int
}

// Error is a regcomp or regexec failure; its text is regerror's.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func regerror(code C.int, r *C.gp_re) error {
	var buf [256]C.char
	C.gp_regerror(code, r, &buf[0], C.size_t(len(buf)))
	return &Error{Msg: C.GoString(&buf[0])}
}

// Compile compiles pattern with flags. With subs, Match records the
// offsets of every subexpression for Group; without, the expression is
// compiled with NoSub.
func Compile(pattern string, flags int, subs bool) (*Regex, error) {
	if !subs {
		flags |= NoSub
	}
	r := (*C.gp_re)(C.calloc(1, C.size_t(unsafe.Sizeof(C.gp_re{}))))
	cs := C.CString(pattern)
	defer C.free(unsafe.Pointer(cs))
	if rc := C.gp_regcomp(r, cs, C.int(flags)); rc != 0 {
		err := regerror(rc, r)
		C.free(unsafe.Pointer(r))
		return nil, err
	}
	x := &Regex{r: r, nsub: int(C.gp_nsub(r))}
	if subs {
		n := x.nsub + 1
		r.pm = (*C.regmatch_t)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.regmatch_t{}))))
		r.npm = C.size_t(n)
		x.pm = unsafe.Slice(r.pm, n)
	}
	return x, nil
}

// Groups returns the number of parenthesised subexpressions.
func (x *Regex) Groups() int { return x.nsub }

// Match runs the expression on s, which is cut at its first NUL byte as a
// C string would be. It returns true on a match, false when there is
// none, and an error (regerror's text) when matching failed.
func (x *Regex) Match(s string) (bool, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	switch rc := C.gp_regexec(x.r, cs); rc {
	case 0:
		return true, nil
	case C.REG_NOMATCH:
		return false, nil
	default:
		return false, regerror(rc, x.r)
	}
}

// Group returns the byte offsets of subexpression n of the last match;
// ok is false when it did not take part in it or was not recorded.
func (x *Regex) Group(n int) (start, end int, ok bool) {
	if n < 0 || n >= len(x.pm) || x.pm[n].rm_so < 0 {
		return 0, 0, false
	}
	return int(x.pm[n].rm_so), int(x.pm[n].rm_eo), true
}

// Free releases the expression.
func (x *Regex) Free() {
	if x.r != nil {
		C.gp_regfree(x.r)
		C.free(unsafe.Pointer(x.r))
		x.r, x.pm = nil, nil
	}
}
