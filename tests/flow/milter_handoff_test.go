package flow

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// The smtpd -> cleanup hand-off of smtpd_milters: smtpd runs the
// connect..DATA events, then hands its milters to cleanup on the
// cleanup connection, and cleanup runs the content events and applies
// the edits. Four instances, real and ours on either side, each with an
// smtpd on its own port (34210-34213) and the same milter (34220).
const handoffMilter = "127.0.0.1:34220"

// smtpReplies runs one SMTP session and returns each reply's last line.
func smtpReplies(addr string, cmds []string) ([]string, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	read := func() (string, error) {
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return "", err
			}
			if len(line) < 4 || line[3] != '-' {
				return strings.TrimRight(line, "\r\n"), nil
			}
		}
	}
	banner, err := read()
	if err != nil {
		return nil, err
	}
	out := []string{banner}
	for _, cmd := range cmds {
		if _, err := c.Write([]byte(cmd + "\r\n")); err != nil {
			return out, err
		}
		r, err := read()
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// handoffCase is one SMTP transaction and what the milter does.
type handoffCase struct {
	name   string
	script tm.Script
}

var handoffCases = []handoffCase{
	{"edits", editing(tm.AddHeader("X-Milter", "added"), tm.AddHeader("X-Hbc", "warn me"), tm.InsHeader(0, "X-Top", "top"),
		tm.ChgHeader(1, "Subject", "changed"), tm.ChgHeader(1, "X-Short", ""),
		tm.ChgFromReply("<new@mx.flow.example>", "RET=HDRS"), tm.AddRcptReply("<added@mx.flow.example>"),
		tm.DelRcptReply("<carol@mx.flow.example>"), tm.ReplBody("replaced\r\nbody\r\n"))},
	{"received", editing(tm.ChgHeader(1, "Received", "changed"), tm.InsHeader(1, "X-Second", "2"),
		tm.InsHeader(0, "X-First", "1"))},
	{"header-checks-reject", editing(tm.AddHeader("X-Hbc", "reject me"))},
	{"reject", tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.ReplyCode("554 5.7.1 rejected by milter")}}}},
	{"tempfail", tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.Tempfail}}}},
	{"discard", tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.Discard}}}},
	{"quarantine", tm.Script{Before: map[byte][]tm.Reply{tm.CmdEOB: {tm.QuarantineReply("held")}}}},
	// Accepted at RCPT: the milter's state travels to cleanup, which
	// then leaves it out.
	{"accept-at-rcpt", tm.Script{Replies: map[byte][]tm.Reply{tm.CmdRcpt: {tm.Accept}}}},
}

var (
	handoffCmds = []string{"EHLO client.example", "MAIL FROM:<alice@mx.flow.example>",
		"RCPT TO:<bob@mx.flow.example>", "RCPT TO:<carol@mx.flow.example>", "DATA",
		strings.ReplaceAll(milterInput, "\n", "\r\n") + ".", "QUIT"}
	maskConnectPort = regexp.MustCompile(`^(CONNECT "[^"]*" \d) \d+ `)
)

func TestMilterHandoffAgainstReal(t *testing.T) {
	t.Parallel()
	smtpd := instance.NewPrograms("smtpd")
	t.Cleanup(smtpd.Remove)
	m, err := tm.Listen("tcp", handoffMilter, tm.Script{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	sides := []struct {
		name string
		ours map[string]string
	}{
		{"real smtpd, real cleanup", nil},
		{"real smtpd, our cleanup", map[string]string{"cleanup": ours.Path(t, "cleanup")}},
		{"our smtpd, real cleanup", map[string]string{"smtpd": smtpd.Path(t, "smtpd")}},
		{"our smtpd, our cleanup", map[string]string{"smtpd": smtpd.Path(t, "smtpd"), "cleanup": ours.Path(t, "cleanup")}},
	}
	main := "milter_header_checks = regexp:@ROOT@/etc/milter_header_checks\n"
	var insts []*instance.Instance
	var addrs []string
	for i, s := range sides {
		addr := fmt.Sprintf("127.0.0.1:%d", 34210+i)
		master := milterMasterCF() + addr + " inet n - n - 1 smtpd -o smtpd_milters=inet:" + handoffMilter + "\n"
		insts = append(insts, newInstance(t, main, master, s.ours, milterFiles))
		addrs = append(addrs, addr)
	}
	for _, c := range handoffCases {
		m.SetScript(c.script)
		var runs []milterRun
		var replies [][]string
		for i, in := range insts {
			before := readyFiles(in, "incoming", "hold")
			logLen := len(m.Log())
			_, ended := m.Sessions()
			r, err := smtpReplies(addrs[i], handoffCmds)
			if err != nil {
				t.Fatalf("%s, %s: %v (replies %q)\n%s", c.name, sides[i].name, err, r, in.Maillog())
			}
			if err := m.WaitEnded(ended+1, 15*time.Second); err != nil {
				t.Fatalf("%s, %s: %v", c.name, sides[i].name, err)
			}
			var run milterRun
			for id, p := range readyFiles(in, "incoming", "hold") {
				if _, old := before[id]; !old {
					run.files = append(run.files, p)
				}
			}
			for _, l := range m.Log()[logLen:] {
				run.milterLog = append(run.milterLog, maskConnectPort.ReplaceAllString(l, "$1 PORT "))
			}
			runs = append(runs, run)
			replies = append(replies, strings.Split(maskQueueID.ReplaceAllString(strings.Join(r, "\n"), "QUEUEID"), "\n"))
		}
		for i := 1; i < len(insts); i++ {
			name := c.name + " (" + sides[i].name + ")"
			if strings.Join(replies[0], "\n") != strings.Join(replies[i], "\n") {
				t.Errorf("%s: SMTP replies differ\nreal:\n%s\nours:\n%s", name, strings.Join(replies[0], "\n"), strings.Join(replies[i], "\n"))
			}
			compareMilterRuns(t, name, insts[0], insts[i], runs[0], runs[i])
		}
	}
	for i := 1; i < len(insts); i++ {
		compareMilterLogs(t, insts[0], insts[i])
	}
}
