package main

import (
	"fmt"
	"time"

	"gopostfix/libglobal/maps/mkmap"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/readlline"
)

// parser returns the aliases(5) line parser: the line is tokenized as RFC
// 822 text; the first ':' separates the name (stored unquoted) from the
// value (stored re-quoted, lists normalised to "a, b").
func parser(t *mkmap.Tool) mkmap.ParseFunc {
	return func(line readlline.Line, src string) mkmap.Entry {
		head, _ := tok822.Scan(line.Text)
		if head == nil {
			return mkmap.Entry{Skip: true}
		}
		colon := tok822.FindType(head, ':')
		if colon == nil || colon.Prev == nil || colon.Next == nil || tok822.RFindType(colon, ',') != nil {
			t.Log.Warnf("%s, line %d: need name:value pair", src, line.First)
			return mkmap.Entry{Skip: true}
		}
		if tok822.RFindType(colon, '@') != nil || tok822.RFindType(colon, '%') != nil {
			t.Log.Warnf("%s, line %d: name must be local", src, line.First)
			return mkmap.Entry{Skip: true}
		}
		value := tok822.CutAfter(colon)
		tok822.Unlink(colon)
		return mkmap.Entry{
			Key:   tok822.Internalize(head, 0),
			Value: tok822.Externalize(value, 0, t.Log),
		}
	}
}

// finish adds the entries postalias writes after the source: "@" and, as
// on builds with NIS support, YP_LAST_MODIFIED and YP_MASTER_NAME without
// NUL and without case folding.
func finish(s *mkmap.Setup, t *mkmap.Tool, d dict.Dict, incremental bool) {
	if incremental {
		d.SetFlags(d.Flags() | dict.FlagDupReplace)
	}
	t.Append(d, "@", "@")
	d.SetFlags(d.Flags()&^dict.FlagTry1Null | dict.FlagTry0Null)
	stamp := fmt.Sprintf("%010d", time.Now().Unix())
	d.SetFlags(d.Flags() &^ dict.FlagFoldFix)
	t.Append(d, "YP_LAST_MODIFIED", stamp)
	t.Append(d, "YP_MASTER_NAME", s.Str("myhostname"))
}
