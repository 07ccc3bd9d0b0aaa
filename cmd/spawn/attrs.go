package main

import (
	"fmt"
	"os/user"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libmaster"
)

// command is what the master.cf entry says to run (SPAWN_ATTR).
type command struct {
	argv     []string
	uid, gid int
	limit    time.Duration // $<service>_time_limit
}

// parseAttrs reads the user= and argv= arguments and the time limit
// (get_service_attr). owner is the mail system owner's uid and gid. The
// errors are Postfix's fatal texts.
func parseAttrs(args []string, ownerUID, ownerGID int) (*command, error) {
	cmd := &command{}
	userSeen := false
	for i, a := range args {
		switch {
		case hasPrefixFold(a, "user="):
			name := a[len("user="):]
			group := ""
			if j := strings.IndexByte(name, ':'); j >= 0 {
				name, group = name[:j], name[j+1:]
			}
			u, err := user.Lookup(name)
			if err != nil {
				return nil, fmt.Errorf("unknown user name: %s", name)
			}
			cmd.uid, _ = strconv.Atoi(u.Uid)
			cmd.gid, _ = strconv.Atoi(u.Gid)
			if group != "" {
				g, err := user.LookupGroup(group)
				if err != nil {
					return nil, fmt.Errorf("unknown group name: %s", group)
				}
				cmd.gid, _ = strconv.Atoi(g.Gid)
			}
			userSeen = true
		case hasPrefixFold(a, "argv="):
			cmd.argv = append([]string{a[len("argv="):]}, args[i+1:]...)
		default:
			return nil, fmt.Errorf("unknown attribute name: %s", a)
		}
		if cmd.argv != nil {
			break
		}
	}
	switch {
	case !userSeen:
		return nil, fmt.Errorf("missing user= attribute")
	case cmd.argv == nil:
		return nil, fmt.Errorf("missing argv= attribute")
	case cmd.uid == 0:
		return nil, fmt.Errorf("request to deliver as root")
	case cmd.uid == ownerUID:
		return nil, fmt.Errorf("request to deliver as mail system owner")
	case cmd.gid == 0:
		return nil, fmt.Errorf("request to use privileged group id %d", cmd.gid)
	case cmd.gid == ownerGID:
		return nil, fmt.Errorf("request to use mail system owner group id %d", cmd.gid)
	}
	return cmd, nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// timeLimit is $<service>_time_limit, defaulting to $command_time_limit.
func timeLimit(s *libmaster.Server) time.Duration {
	def := s.Time("command_time_limit")
	v, err := s.Config.TimeSpec(s.Name+"_time_limit",
		mailconf.Spec{Default: strconv.Itoa(int(def/time.Second)) + "s", Min: 1})
	if err != nil {
		s.Log.Fatalf("%v", err)
	}
	return v
}
