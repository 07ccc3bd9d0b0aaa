package stdtypes

import (
	"io"
	"os"
	"time"
	"unicode/utf8"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/readlline"
)

// openTextHash reads a postmap-format source file into memory
// (dict_thash.c). A file that changes while it is read is read again.
func openTextHash(req dict.OpenRequest) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	log := req.Log()
	for attempt := 0; ; attempt++ {
		before := time.Now().Unix()
		f, err := os.Open(req.Name)
		if err != nil {
			return nil, dict.Wrap(dict.KindConfig, err, "open database %s", req.Name)
		}
		d := newHT(req, req.Type)
		utf8Check := req.Registry != nil && req.Registry.UTF8 && req.Flags&dict.FlagUTF8Request != 0
		rd := readlline.New(f, req.Name, log)
		rd.NoNULWarning = true
		for {
			line, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Close()
				// Postfix's msg_fatal, surrogate or not.
				return nil, dict.Wrap(dict.KindFatal, err, "read %s", req.Name)
			}
			if utf8Check && !utf8.ValidString(line.Text) {
				log.Warnf("%s, line %d: non-UTF-8 input \"%s\" -- ignoring this line", req.Name, line.First, dict.Printable(line.Text))
				continue
			}
			sl := dict.SplitSourceLine(line.Text)
			if sl.Unbalanced {
				log.Warnf("%s, line %d: unbalanced '\"' in '%s' -- ignoring this line", req.Name, line.First, line.Text)
				continue
			}
			if sl.Key == "" || sl.Value == "" {
				log.Warnf("%s, line %d: expected format: key whitespace value -- ignoring this line", req.Name, line.First)
				continue
			}
			if sl.Key[len(sl.Key)-1] == ':' {
				log.Warnf("%s, line %d: record is in \"key: value\" format; is this an alias file?", req.Name, line.First)
			}
			value := sl.Value
			if req.Flags&dict.FlagSrcRHSIsFile != 0 {
				b64, err := dict.FileToBase64(value)
				if err != nil {
					log.Warnf("%s, line %d: %s: skipping this entry", req.Name, line.First, err)
					continue
				}
				value = b64
			}
			if _, exists, _ := d.Lookup(sl.Key); exists {
				switch {
				case req.Flags&dict.FlagDupIgnore != 0:
				case req.Flags&dict.FlagDupReplace != 0:
					d.Update(sl.Key, value)
				case req.Flags&dict.FlagDupWarn != 0:
					log.Warnf("%s, line %d: duplicate entry: \"%s\"", req.Name, line.First, sl.Key)
				default:
					f.Close()
					return nil, dict.Configf("%s, line %d: duplicate entry: \"%s\"", req.Name, line.First, sl.Key)
				}
				continue
			}
			d.Update(sl.Key, value)
		}
		st, err := f.Stat()
		f.Close()
		if err != nil {
			return nil, dict.Wrap(dict.KindFatal, err, "fstat %s", req.Name)
		}
		after := time.Now().Unix()
		mtime := st.ModTime().Unix()
		if mtime < before-1 || mtime > after || attempt >= 100 {
			d.RecordFile(req.Name, st)
			return d, nil
		}
		time.Sleep(300 * time.Millisecond)
	}
}
