package main

import (
	"fmt"
	"os/user"
	"strconv"
	"strings"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/stringops"
)

// Option bits kept beside the mail_copy flags (PIPE_OPT_*).
const (
	optFoldUser      = 1 << 16
	optFoldHost      = 1 << 17
	optQuoteLocal    = 1 << 18
	optFinalDelivery = 1 << 19
	optFoldAll       = optFoldUser | optFoldHost
)

// attrs are the command attributes of the master.cf entry (PIPE_ATTR).
type attrs struct {
	command    []string // argv=, macros not yet expanded
	uid, gid   int
	flags      int // mbox.Copy* and opt* bits
	execDir    string
	chrootDir  string
	eol        string
	nullSender string
	sizeLimit  int64
}

// idLookup finds users and groups (getpwnam, getgrnam); tests replace it.
type idLookup struct {
	user  func(name string) (uid, gid int, err error)
	group func(name string) (gid int, err error)
}

// systemIDs uses the system's user and group databases.
var systemIDs = idLookup{
	user: func(name string) (int, int, error) {
		u, err := user.Lookup(name)
		if err != nil {
			return 0, 0, err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return uid, gid, nil
	},
	group: func(name string) (int, error) {
		g, err := user.LookupGroup(name)
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(g.Gid)
	},
}

// ownerIDs are the IDs a command must never run with.
type ownerIDs struct {
	owner     string // mail_owner
	ownerUID  int
	ownerGID  int
	sgidGroup string // setgid_group
	sgidGID   int
}

// parseAttrs reads the command attributes (get_service_attr). Errors are
// Postfix's fatal texts.
func parseAttrs(args []string, ids idLookup, own ownerIDs) (*attrs, error) {
	a := &attrs{eol: "\n", nullSender: "MAILER-DAEMON"}
	userSeen := false
	for i, arg := range args {
		name, value, _ := strings.Cut(arg, "=")
		switch strings.ToLower(name) + "=" {
		case "flags=":
			for _, ch := range []byte(value) {
				bit, ok := flagBits[ch]
				if !ok {
					return nil, fmt.Errorf("unknown flag: %c (ignored)", ch)
				}
				a.flags |= bit
			}
		case "user=":
			userSeen = true
			uname, group, _ := strings.Cut(value, ":")
			uid, gid, err := ids.user(uname)
			if err != nil {
				return nil, fmt.Errorf("get_service_attr: unknown username: %s", uname)
			}
			a.uid, a.gid = uid, gid
			if group != "" {
				if a.gid, err = ids.group(group); err != nil {
					return nil, fmt.Errorf("get_service_attr: unknown group: %s", group)
				}
			}
		case "directory=":
			a.execDir = value
		case "chroot=":
			a.chrootDir = value
		case "eol=":
			// The decoded text is used as a C string: a \0 ends it.
			a.eol, _, _ = strings.Cut(stringops.Unescape(value), "\x00")
		case "null_sender=":
			a.nullSender = value
		case "size=":
			n, ok := offCvt(value)
			if !ok {
				return nil, fmt.Errorf("get_service_attr: bad size= value: %s", value)
			}
			a.sizeLimit = n
		case "argv=":
			a.command = append([]string{value}, args[i+1:]...)
		default:
			return nil, fmt.Errorf("unknown attribute name: %s", arg)
		}
		if a.command != nil {
			break
		}
	}
	switch {
	case !userSeen:
		return nil, fmt.Errorf("missing user= command-line attribute")
	case a.command == nil:
		return nil, fmt.Errorf("missing argv= command-line attribute")
	case a.uid == 0:
		return nil, fmt.Errorf("user= command-line attribute specifies root privileges")
	case a.uid == own.ownerUID:
		return nil, fmt.Errorf("user= command-line attribute specifies mail system owner %s", own.owner)
	case a.gid == 0:
		return nil, fmt.Errorf("user= command-line attribute specifies privileged group id 0")
	case a.gid == own.ownerGID:
		return nil, fmt.Errorf("user= command-line attribute specifies mail system owner %s group id %d", own.owner, a.gid)
	case a.gid == own.sgidGID:
		return nil, fmt.Errorf("user= command-line attribute specifies mail system %s group id %d", own.sgidGroup, a.gid)
	}
	return a, nil
}

// flagBits are the letters of flags=.
var flagBits = map[byte]int{
	'B': mbox.CopyBlank, 'D': mbox.CopyDelivered, 'F': mbox.CopyFrom, 'O': mbox.CopyOrigRcpt,
	'R': mbox.CopyReturnPath, 'X': optFinalDelivery, '.': mbox.CopyDot, '>': mbox.CopyQuote,
	'h': optFoldHost, 'q': optQuoteLocal, 'u': optFoldUser,
}

// offCvt converts a size of decimal digits (off_cvt_string); false on
// anything else or on overflow.
func offCvt(s string) (int64, bool) {
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		if n > (1<<63-1-int64(s[i]-'0'))/10 {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}
