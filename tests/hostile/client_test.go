package hostile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"time"
)

// client is a raw SMTP client that sends whatever it is given.
type client struct {
	conn net.Conn
	r    *bufio.Reader
}

// dial connects to the instance's SMTP port.
func dial(port int) (*client, error) {
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &client{conn: conn, r: bufio.NewReaderSize(conn, 1<<16)}, nil
}

// send writes data in the background (a server may stop reading) and
// returns a channel with the write's result.
func (c *client) send(data string) <-chan error {
	done := make(chan error, 1)
	go func() {
		c.conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
		_, err := io.WriteString(c.conn, data)
		done <- err
	}()
	return done
}

// reply reads one complete reply (every line up to "NNN text"), at most
// limit; it returns "<EOF>" when the server hung up and "<TIMEOUT>"
// when nothing complete came.
func (c *client) reply(limit time.Duration) string {
	c.conn.SetReadDeadline(time.Now().Add(limit))
	var lines []string
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return strings.Join(append(lines, "<TIMEOUT>"), "\n")
			}
			return strings.Join(append(lines, "<EOF>"), "\n")
		}
		line = strings.TrimRight(line, "\r\n")
		lines = append(lines, line)
		if len(line) < 4 || line[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

// replies reads n replies.
func (c *client) replies(n int, limit time.Duration) []string {
	var out []string
	for i := 0; i < n; i++ {
		r := c.reply(limit)
		out = append(out, r)
		if strings.HasSuffix(r, "<EOF>") || strings.HasSuffix(r, "<TIMEOUT>") {
			break
		}
	}
	return out
}

func (c *client) close() { c.conn.Close() }

// step is one client block of a dialogue and how many replies follow.
type step struct {
	send    string
	replies int
}

// queuedAs hides queue IDs in replies (short ones too: a new file
// system has small inode numbers).
var queuedAs = regexp.MustCompile(`queued as [0-9A-F]{6,12}`)

// dialogue plays steps against port and returns the replies, one line
// per reply, with queue IDs masked; a step that gets the server's
// hang-up, or no complete reply within limit, ends it.
func dialogue(port int, steps []step, limit time.Duration) []string {
	c, err := dial(port)
	if err != nil {
		return []string{"connect: " + err.Error()}
	}
	defer c.close()
	greeting := c.reply(limit)
	if !strings.HasPrefix(greeting, "220") {
		return []string{greeting}
	}
	return append([]string{greeting}, c.play(steps, limit)...)
}

// play sends each step and reads its replies.
func (c *client) play(steps []step, limit time.Duration) []string {
	var out []string
	for _, s := range steps {
		var werr <-chan error
		if s.send != "" {
			werr = c.send(s.send)
		}
		got := c.replies(s.replies, limit)
		for _, r := range got {
			out = append(out, queuedAs.ReplaceAllString(r, "queued as ID"))
		}
		if len(got) > 0 && (strings.HasSuffix(got[len(got)-1], "<EOF>") || strings.HasSuffix(got[len(got)-1], "<TIMEOUT>")) {
			break
		}
		if werr != nil {
			select {
			case err := <-werr:
				if err != nil {
					out = append(out, "write: "+err.Error())
					return out
				}
			case <-time.After(limit):
				out = append(out, "write: blocked")
				return out
			}
		}
	}
	return out
}
