// Package regtable reads the rule files of Postfix's "regexp" and "pcre"
// table types (regexp_table(5), pcre_table(5); src/util/dict_regexp.c and
// dict_pcre.c) with one parser, the regular-expression library being a
// parameter (an Engine; compat/regexp and compat/pcre supply them).
//
// Rules, in logical lines (see libglobal/util/readlline):
//
//	/pattern/flags result       first matching rule wins
//	!/pattern/flags result      matches when the pattern does not
//	/p1/!/p2/ result            regexp only: p1 matches and p2 does not
//	if /pattern/flags ... endif only look inside when the pattern matches
//
// Any non-alphanumeric character may delimit a pattern; "$1" ... "$99",
// "${n}" and "$(n)" in the result are replaced by the matched
// subexpressions, "$$" by "$". Every diagnostic has Postfix's words,
// including the small differences between the two types ("skipping" or
// "ignoring this rule", "out-of-range" or "out of range").
//
// A table name that starts with "{" holds the rules inline, as
// "{{rule}, {rule}, ...}" (Postfix 3.7's dict_stream_open, through
// dict.OpenStream).
package regtable
