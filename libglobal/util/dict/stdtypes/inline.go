package stdtypes

import (
	"unicode/utf8"

	"gopostfix/libglobal/util/dict"
)

// openInline parses "inline:{key=value, { key = text with spaces }}"
// (dict_inline.c). Later duplicates replace earlier ones silently.
func openInline(req dict.OpenRequest) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	name := req.Name
	if req.Registry != nil && req.Registry.UTF8 && req.Flags&dict.FlagUTF8Request != 0 && !utf8.ValidString(name) {
		return nil, dict.Configf("bad UTF-8 syntax: \"inline:%s\"; need \"inline:{name=value...}\"", name)
	}
	n := dict.BalPar(name, "{}")
	if n == 0 || n != len(name) || n == 2 {
		return nil, dict.Configf("bad syntax: \"inline:%s\"; need \"inline:{name=value...}\"", name)
	}
	d := newHT(req, req.Type)
	what := "value"
	if req.Flags&dict.FlagSrcRHSIsFile != 0 {
		what = "filename"
	}
	count := 0
	var problem string
	for _, nameval := range dict.TokensQ(name[1:n-1], dict.CommaSpace, "{}") {
		if nameval[0] == '{' {
			nameval, problem = dict.ExtPar(nameval, "{}", true)
			if problem != "" {
				break
			}
		}
		key, value, perr := dict.SplitQNameVal(nameval)
		if perr != "" {
			problem = perr
			break
		}
		if req.Flags&dict.FlagSrcRHSIsFile != 0 {
			b64, err := dict.FileToBase64(value)
			if err != nil {
				problem = err.Error()
				break
			}
			value = b64
		}
		d.Update(key, value)
		count++
	}
	if problem != "" || count == 0 {
		if problem == "" {
			problem = "empty table"
		}
		return nil, dict.Configf("%s: \"inline:%s\"; need \"inline:{name=%s...}\"", problem, name, what)
	}
	return d, nil
}
