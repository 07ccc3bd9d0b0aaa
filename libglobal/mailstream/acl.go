package mailstream

import (
	"os/user"
	"strconv"
	"strings"
)

// SubmitAllowed checks a user against authorized_submit_users
// (check_user_acl_byuid) and returns the name it used: the login name, or
// "unknown" for a UID without password entry. Any "static:" list allows
// everyone; otherwise the list holds user names, "!name" excludes, and
// the first match decides. Lookup tables in the list are not consulted
// (a deliberate limitation: they never match).
func SubmitAllowed(acl string, uid int) (name string, ok bool) {
	name = "unknown"
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		name = u.Username
	}
	if strings.HasPrefix(acl, "static:") {
		return name, true
	}
	for _, pat := range strings.FieldsFunc(acl, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }) {
		neg := false
		for strings.HasPrefix(pat, "!") {
			neg = !neg
			pat = pat[1:]
		}
		if !strings.Contains(pat, ":") && pat == name {
			return name, !neg
		}
	}
	return name, false
}
