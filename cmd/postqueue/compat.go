package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/showq"
)

// Column layouts of the traditional listing; the long form goes with
// enable_long_queue_ids = yes in the client's main.cf.
type layout struct {
	str, sender string // printf formats of a heading/recipient line and a sender line
	heads       [4]string
}

var (
	shortLayout = layout{"%-11s %7s %-20s %s\n", "%-11s %7d %20.20s %s\n",
		[4]string{"-Queue ID-", "--Size--", "----Arrival Time----", "-Sender/Recipient-------"}}
	longLayout = layout{"%-17s %8s %-19s %s\n", "%-17s %8d %19.19s %s\n",
		[4]string{"----Queue ID-----", "--Size--", "---Arrival Time----", "--Sender/Recipient------"}}
)

// writeError is a failure to write the listing; a closed pipe is not one.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// flushOut sends what is buffered. A reader that went away (EPIPE) ends the
// listing quietly (done true).
func flushOut(w *bufio.Writer) (done bool, err error) {
	if err := w.Flush(); err != nil {
		if errors.Is(err, syscall.EPIPE) {
			return true, nil
		}
		return true, &writeError{err}
	}
	return false, nil
}

// printCompat writes the mailq-style listing (showq_compat): a heading,
// one block per message separated by empty lines, the reasons
// right-aligned to column 78 when they change, and the summary.
func printCompat(sr *showq.Reader, out io.Writer, long bool) error {
	lay := shortLayout
	if long {
		lay = longLayout
	}
	w := bufio.NewWriter(out)
	var files, total int64
	for {
		m, ok, err := sr.NextMessage()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if files > 0 {
			w.WriteString("\n")
		} else {
			fmt.Fprintf(w, lay.str, lay.heads[0], lay.heads[1], lay.heads[2], lay.heads[3])
		}
		if err := printMessage(w, sr, lay, m); err != nil {
			return err
		}
		total += m.Size
		files++
		if done, err := flushOut(w); done {
			return err
		}
	}
	if files == 0 {
		w.WriteString("Mail queue is empty\n")
	} else {
		plural := "s"
		if files == 1 {
			plural = ""
		}
		fmt.Fprintf(w, "\n-- %d Kbytes in %d Request%s.\n", uint64(total)/1024, files, plural)
	}
	_, err := flushOut(w)
	return err
}

// printMessage writes one message block.
func printMessage(w *bufio.Writer, sr *showq.Reader, lay layout, m showq.Message) error {
	id := m.ID
	switch m.Queue {
	case queue.Active:
		id += "*"
	case queue.Hold:
		id += "!"
	}
	if m.ForcedExpire {
		id += "#"
	}
	fmt.Fprintf(w, lay.sender, id, m.Size, queue.Asctime(m.Arrival), m.Sender)
	reason := ""
	for {
		r, ok, err := sr.NextRecipient()
		if err != nil || !ok {
			return err
		}
		if r.Reason != reason {
			reason = r.Reason
			shown := reason
			if shown == "" {
				shown = "reason unavailable"
			}
			w.WriteString(strings.Repeat(" ", max(0, 76-len(shown))) + "(" + shown + ")\n")
		}
		fmt.Fprintf(w, lay.str, "", "", "", r.Address)
	}
}
