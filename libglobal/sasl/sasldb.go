package sasl

import (
	"bytes"
	"fmt"

	"gopostfix/libglobal/util/syserr"
)

// DefaultSasldbPath is libsasl2's sasldb file when the configuration
// names none (sasldb_path).
const DefaultSasldbPath = "/etc/sasldb2"

// sasldbPasswordProp is the property saslpasswd2 stores the plaintext
// password under.
const sasldbPasswordProp = "userPassword"

// DB is a Berkeley DB hash file open for reading, as compat/bdb's *DB
// is: Get returns the value of a key (in buf when it fits).
type DB interface {
	Get(key, buf []byte) (val []byte, found bool, err error)
	Close() error
}

// DBOpener opens a Berkeley DB hash file by its exact path, read-only.
// libglobal cannot reach libdb; the program passes compat/bdb's opener
// down (see NewCyrus).
type DBOpener func(path string) (DB, error)

// SasldbKey is the key saslpasswd2 files a property under:
// user NUL realm NUL property, without a trailing NUL.
func SasldbKey(user, realm, prop string) []byte {
	k := make([]byte, 0, len(user)+len(realm)+len(prop)+2)
	k = append(k, user...)
	k = append(k, 0)
	k = append(k, realm...)
	k = append(k, 0)
	return append(k, prop...)
}

// SplitSasldbKey is SasldbKey's inverse; ok is false for a key without
// two NUL separators.
func SplitSasldbKey(key []byte) (user, realm, prop string, ok bool) {
	i := bytes.IndexByte(key, 0)
	if i < 0 {
		return "", "", "", false
	}
	j := bytes.IndexByte(key[i+1:], 0)
	if j < 0 {
		return "", "", "", false
	}
	return string(key[:i]), string(key[i+1 : i+1+j]), string(key[i+2+j:]), true
}

// SasldbOpenError is a sasldb file that cannot be opened; libsasl2 logs
// its text as an authentication problem.
type SasldbOpenError struct {
	Path string
	Err  error
}

func (e *SasldbOpenError) Error() string {
	return fmt.Sprintf("unable to open Berkeley db %s: %s", e.Path, syserr.Text(e.Err))
}

func (e *SasldbOpenError) Unwrap() error { return e.Err }

// SasldbPassword returns the userPassword of user in realm from the
// sasldb file at path, opened for this one lookup (so that saslpasswd2's
// changes show at once, as with libsasl2).
func SasldbPassword(open DBOpener, path, user, realm string) (password string, found bool, err error) {
	if open == nil {
		return "", false, &SasldbOpenError{Path: path, Err: fmt.Errorf("no Berkeley DB support")}
	}
	db, err := open(path)
	if err != nil {
		return "", false, &SasldbOpenError{Path: path, Err: err}
	}
	defer db.Close()
	v, found, err := db.Get(SasldbKey(user, realm, sasldbPasswordProp), nil)
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	return string(v), found, nil
}
