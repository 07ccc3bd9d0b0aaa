package stdtypes

import (
	"bufio"
	"os"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// unixDict answers from the system's user and group files
// (dict_unix.c): unix:passwd.byname returns the passwd line of a user,
// unix:group.byname "name:passwd:gid:member,member".
type unixDict struct {
	dict.Base
	file  string
	group bool
}

// Files read by the unix: type; variables so tests can point elsewhere.
var (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

func openUnix(req dict.OpenRequest) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	d := &unixDict{}
	switch req.Name {
	case "passwd.byname":
		d.file = passwdFile
	case "group.byname":
		d.file, d.group = groupFile, true
	default:
		return nil, dict.Configf("unknown table: unix:%s", req.Name)
	}
	d.Init(req, dict.FlagFixed)
	return d, nil
}

func (d *unixDict) Lookup(key string) (string, bool, error) {
	key = d.FoldKey(key)
	f, err := os.Open(d.file)
	if err != nil {
		what := "password"
		if d.group {
			what = "group"
		}
		d.Log().Warnf("cannot access UNIX %s database: %s", what, dict.ErrnoText(err))
		return "", false, &dict.Error{Kind: dict.KindRetry, Msg: err.Error(), Err: err}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		name, _, _ := strings.Cut(line, ":")
		if name != key || name == "" || name[0] == '+' || name[0] == '-' {
			continue
		}
		fields := strings.Split(line, ":")
		if d.group {
			if len(fields) < 4 {
				continue
			}
			return strings.Join(fields[:4], ":"), true, nil
		}
		if len(fields) < 7 {
			continue
		}
		return strings.Join(fields[:7], ":"), true, nil
	}
	return "", false, nil
}
