package instance

import (
	"net"
	"regexp"
	"strings"
	"time"
)

// PollInterval is how often WaitFor tests its condition.
const PollInterval = 100 * time.Millisecond

// WaitFor polls cond every PollInterval for at most limit and reports
// whether it became true.
func WaitFor(limit time.Duration, cond func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(PollInterval) {
		if cond() {
			return true
		}
	}
	return cond()
}

// WaitLog waits (at most limit) until the log contains text.
func (in *Instance) WaitLog(limit time.Duration, text string) bool {
	return WaitFor(limit, func() bool { return strings.Contains(in.Maillog(), text) })
}

// WaitLogMatch waits (at most limit) until the log matches re.
func (in *Instance) WaitLogMatch(limit time.Duration, re *regexp.Regexp) bool {
	return WaitFor(limit, func() bool { return re.MatchString(in.Maillog()) })
}

// WaitMailbox waits (at most limit) until the mbox of user contains
// text.
func (in *Instance) WaitMailbox(limit time.Duration, user, text string) bool {
	return WaitFor(limit, func() bool { return strings.Contains(in.Mailbox(user), text) })
}

// LogLines returns the lines of the log that contain any of markers
// (for example "postfix/local[").
func (in *Instance) LogLines(markers ...string) []string {
	var out []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		for _, m := range markers {
			if strings.Contains(l, m) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// WaitFor is the package's WaitFor, for convenience.
func (in *Instance) WaitFor(limit time.Duration, cond func() bool) bool { return WaitFor(limit, cond) }

// WaitListening waits (at most limit) until a TCP server accepts
// connections on addr.
func WaitListening(limit time.Duration, addr string) bool {
	return WaitFor(limit, func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}
