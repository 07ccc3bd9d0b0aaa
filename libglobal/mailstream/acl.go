package mailstream

import (
	"errors"
	"os/user"
	"strconv"
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

// TableRegistry returns the registry the tables of an access list come
// from: the standard types, plus what each of register adds (commands pass
// the compat types, which libglobal cannot import).
func TableRegistry(log *msg.Logger, register ...func(*dict.Registry)) *dict.Registry {
	reg := dict.NewRegistry(log)
	stdtypes.Register(reg)
	for _, r := range register {
		r(reg)
	}
	return reg
}

// UserACL checks the user with a UID against an access list parameter
// such as authorized_submit_users, authorized_flush_users or
// authorized_mailq_users (check_user_acl_byuid). name is the login name
// it used, or "unknown" for a UID without password entry.
//
// A list that starts with "static:" allows everyone without looking
// further. Otherwise the list is a string match list: user names, "!name"
// exclusions, "/file" includes and "type:table" lookups (tables come from
// reg, so the caller decides which types exist), compared without regard
// to case; the first match decides and no match denies. A table that
// cannot be searched gives an error worded as Postfix's fatal message
// ("authorized_submit_users: hash:/x: table lookup problem").
func UserACL(reg *dict.Registry, param, acl string, uid int, log *msg.Logger) (name string, ok bool, err error) {
	if strings.HasPrefix(acl, "static:") {
		return "", true, nil
	}
	name = "unknown"
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		name = u.Username
	}
	list, err := maps.NewMatchList(reg, param, acl, maps.StringList, false, log)
	if err != nil {
		// A table that cannot be opened is reported by the table, not
		// by the list (dict_open's fatal error).
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return name, false, err
	}
	ok, err = list.Match(name)
	return name, ok, err
}
