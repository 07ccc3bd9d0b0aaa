// Package pcre binds PCRE2 (libpcre2-8, through cgo) for the "pcre" table
// type, as Postfix's src/util/dict_pcre.c uses it: patterns compiled with
// pcre2_compile and Postfix's option bits, one match-data block per
// pattern sized from the pattern, pcre2_match without JIT, and PCRE2's own
// error texts. The table syntax itself (rules, if/endif, $n) is in
// compat/regtable; Table in table.go joins the two.
package pcre

/*
#cgo LDFLAGS: -lpcre2-8
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stdlib.h>
#include <pcre2.h>

static pcre2_code *gp_compile(const char *pat, size_t len, uint32_t opts,
			      int *err, size_t *off)
{
	PCRE2_SIZE o = 0;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR) pat, len, opts, err, &o, 0);

	*off = o;
	return (c);
}

static int gp_match(pcre2_code *c, const char *s, size_t len,
		    pcre2_match_data *md)
{
	return (pcre2_match(c, (PCRE2_SPTR) s, len, 0, 0, md, 0));
}

static uint32_t gp_capture_count(pcre2_code *c)
{
	uint32_t n = 0;

	(void) pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &n);
	return (n);
}

static int gp_error_message(int code, char *buf, size_t len)
{
	return (pcre2_get_error_message(code, (PCRE2_UCHAR *) buf, len));
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Option bits Postfix's pcre flags toggle.
const (
	Caseless      = C.PCRE2_CASELESS
	Multiline     = C.PCRE2_MULTILINE
	DotAll        = C.PCRE2_DOTALL
	Extended      = C.PCRE2_EXTENDED
	Anchored      = C.PCRE2_ANCHORED
	DollarEndOnly = C.PCRE2_DOLLAR_ENDONLY
	Ungreedy      = C.PCRE2_UNGREEDY
)

// Code is a compiled pattern with its match data. It is not safe for
// concurrent use (the match data holds the last match).
type Code struct {
	code   *C.pcre2_code
	md     *C.pcre2_match_data
	ovec   []C.PCRE2_SIZE
	groups int
}

// ErrorMessage returns PCRE2's text for an error code (compile errors are
// positive, match errors negative), as pcre2_get_error_message gives it.
func ErrorMessage(code int) string {
	var buf [256]C.char
	if n := C.gp_error_message(C.int(code), &buf[0], C.size_t(len(buf))); n > 0 {
		return C.GoStringN(&buf[0], n)
	}
	return fmt.Sprintf("unexpected pcre2 error code %d", code)
}

// CompileError is a pattern PCRE2 refused, with the offset it names.
type CompileError struct {
	Offset int
	Msg    string
}

// Error renders the error as Postfix does after "pcre map NAME, line N: ".
func (e *CompileError) Error() string {
	return fmt.Sprintf("error in regex at offset %d: %s", e.Offset, e.Msg)
}

// Compile compiles pattern with the given option bits.
func Compile(pattern string, options uint32) (*Code, error) {
	cs := C.CString(pattern)
	defer C.free(unsafe.Pointer(cs))
	var errcode C.int
	var off C.size_t
	code := C.gp_compile(cs, C.size_t(len(pattern)), C.uint32_t(options), &errcode, &off)
	if code == nil {
		return nil, &CompileError{Offset: int(off), Msg: ErrorMessage(int(errcode))}
	}
	md := C.pcre2_match_data_create_from_pattern(code, nil)
	if md == nil {
		C.pcre2_code_free(code)
		return nil, &CompileError{Msg: "out of memory"}
	}
	n := int(C.pcre2_get_ovector_count(md))
	c := &Code{
		code:   code,
		md:     md,
		ovec:   unsafe.Slice(C.pcre2_get_ovector_pointer(md), 2*n),
		groups: int(C.gp_capture_count(code)),
	}
	return c, nil
}

// Groups returns the number of capturing groups in the pattern.
func (c *Code) Groups() int { return c.groups }

// Match runs the pattern on subject. It returns true on a match, false
// when there is none, and an error (PCRE2's text) when matching failed.
func (c *Code) Match(subject string) (bool, error) {
	var p *C.char
	if len(subject) > 0 {
		p = (*C.char)(unsafe.Pointer(unsafe.StringData(subject)))
	}
	rc := int(C.gp_match(c.code, p, C.size_t(len(subject)), c.md))
	switch {
	case rc > 0:
		return true, nil
	case rc == C.PCRE2_ERROR_NOMATCH:
		return false, nil
	case rc == 0:
		// The match data is sized from the pattern, so this cannot
		// happen; report it rather than read a short vector.
		return false, fmt.Errorf("match data too small")
	}
	return false, matchError(rc)
}

type matchError int

func (e matchError) Error() string { return ErrorMessage(int(e)) }

// Group returns the byte offsets of group n of the last match; ok is
// false when the group did not take part in it.
func (c *Code) Group(n int) (start, end int, ok bool) {
	if n < 0 || 2*n+1 >= len(c.ovec) {
		return 0, 0, false
	}
	s, e := c.ovec[2*n], c.ovec[2*n+1]
	if s == ^C.PCRE2_SIZE(0) {
		return 0, 0, false
	}
	return int(s), int(e), true
}

// Free releases the compiled pattern and its match data.
func (c *Code) Free() {
	if c.code != nil {
		C.pcre2_match_data_free(c.md)
		C.pcre2_code_free(c.code)
		c.code, c.md, c.ovec = nil, nil, nil
	}
}
