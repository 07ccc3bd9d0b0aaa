package dict

import (
	"encoding/base64"
	"fmt"
	"os"
	"strings"
)

// splitList splits on commas and whitespace, as argv_split with
// CHARS_COMMA_SP.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\v' || r == '\f'
	})
}

// FileContents reads the files named in a postmap -F value (a list
// separated by commas and whitespace) and joins their contents with a
// newline between files (dict_file_to_buf). Errors read like Postfix's.
func FileContents(pathnames string) ([]byte, error) {
	names := splitList(pathnames)
	if len(names) == 0 {
		return nil, fmt.Errorf("empty pathname list: >>%s<<'", pathnames)
	}
	var buf []byte
	for i, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			if _, serr := os.Stat(n); serr != nil {
				return nil, fmt.Errorf("open %s: %s", n, ErrnoText(serr))
			}
			return nil, fmt.Errorf("read %s: %s", n, ErrnoText(err))
		}
		buf = append(buf, data...)
		if i+1 < len(names) {
			buf = append(buf, '\n')
		}
	}
	return buf, nil
}

// FileToBase64 is FileContents encoded as standard padded base64, the
// value postmap -F stores (dict_file_to_b64).
func FileToBase64(pathnames string) (string, error) {
	data, err := FileContents(pathnames)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(data), nil
}

// FileFromBase64 decodes a value stored by postmap -F
// (dict_file_from_b64). Postfix uses the result as a C string, so it ends
// at the first NUL byte of the file contents.
func FileFromBase64(value string) (string, error) {
	data, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		v := value
		if len(v) > 30 {
			v = v[:30]
		}
		return "", fmt.Errorf("malformed BASE64 value: %s", v)
	}
	return cutNUL(data), nil
}

// FileLookup looks key up in a table opened with FlagSrcRHSIsFile and
// decodes the stored base64 (dict_file_lookup). A value that does not
// decode is a configuration error, logged as Postfix logs it.
func FileLookup(d Dict, key string) (string, bool, error) {
	v, ok, err := d.Lookup(key)
	if !ok || err != nil {
		return v, ok, err
	}
	dec, derr := FileFromBase64(v)
	if derr != nil {
		d.Common().Log().Warnf("table %s:%s: key %s: %s", d.Type(), d.Name(), key, derr)
		return "", false, &Error{Kind: KindConfig, Msg: derr.Error()}
	}
	return dec, true, nil
}
