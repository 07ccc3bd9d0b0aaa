package mkmap

import (
	"unicode/utf8"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/readlline"
)

func validUTF8(s string) bool { return utf8.ValidString(s) }

// PostmapParser returns the parser of postmap source lines: "key
// whitespace value", with quoted keys (postmap.c). With fileValues (-F)
// the value names files whose base64 contents are stored.
func (t *Tool) PostmapParser(fileValues bool) ParseFunc {
	return func(line readlline.Line, src string) Entry {
		sl := dict.SplitSourceLine(line.Text)
		if sl.Unbalanced {
			t.Log.Warnf("%s, line %d: unbalanced '\"' in '%s' -- ignoring this line", src, line.First, line.Text)
			return Entry{Skip: true}
		}
		if sl.Key == "" || sl.Value == "" {
			t.Log.Warnf("%s, line %d: expected format: key whitespace value", src, line.First)
			return Entry{Skip: true}
		}
		if sl.Key[len(sl.Key)-1] == ':' {
			t.Log.Warnf("%s, line %d: record is in \"key: value\" format; is this an alias file?", src, line.First)
		}
		value := sl.Value
		if fileValues {
			b64, err := dict.FileToBase64(value)
			if err != nil {
				t.Log.Warnf("%s, line %d: %s: skipping this entry", src, line.First, err)
				return Entry{Skip: true}
			}
			value = b64
		}
		return Entry{Key: sl.Key, Value: value}
	}
}
