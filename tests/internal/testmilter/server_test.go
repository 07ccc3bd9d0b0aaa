package testmilter

import (
	"bufio"
	"encoding/binary"
	"net"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// rawClient sends packets and reads replies by hand.
type rawClient struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func (rc *rawClient) send(cmd byte, data []byte) {
	rc.t.Helper()
	if _, err := rc.c.Write(Reply{Code: cmd, Data: data}.packet()); err != nil {
		rc.t.Fatal(err)
	}
}

func (rc *rawClient) expect(want ...Reply) {
	rc.t.Helper()
	for _, w := range want {
		rc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		code, data, err := readPacket(rc.br)
		if err != nil {
			rc.t.Fatalf("read reply: %v", err)
		}
		if code != w.Code || string(data) != string(w.Data) {
			rc.t.Fatalf("reply %q %q, want %q %q", code, data, w.Code, w.Data)
		}
	}
}

func TestServerScript(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "m.sock")
	srv, err := Listen("unix", sock, Script{
		Actions:  AddHdrs,
		Protocol: NRHelo,
		SymLists: map[uint32]string{StageMail: "{mail_addr}", StageConnect: "j"},
		Replies:  map[byte][]Reply{CmdRcpt: {Continue, ReplyCode("550 5.7.1 no")}},
		Mods:     []Reply{AddHeader("X-A", "b")},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	rc := &rawClient{t: t, c: c, br: bufio.NewReader(c)}
	opt := append(append(be32(6), be32(0x1ff)...), be32(0x1fffff)...)
	rc.send(CmdOptneg, opt)
	want := append(append(be32(6), be32(AddHdrs)...), be32(NRHelo)...)
	want = append(append(want, be32(StageConnect)...), cstr("j")...)
	want = append(append(want, be32(StageMail)...), cstr("{mail_addr}")...)
	rc.expect(Reply{Code: 'O', Data: want})
	rc.send(CmdMacro, append([]byte{'C'}, cstr("j", "host")...))
	port := binary.BigEndian.AppendUint16(nil, 25)
	rc.send(CmdConnect, append(append(cstr("client"), '4'), append(port, cstr("192.0.2.1")...)...))
	rc.expect(Continue)
	rc.send(CmdHelo, cstr("x"))
	rc.send(CmdRcpt, cstr("<a@b>"))
	rc.expect(Continue)
	rc.send(CmdRcpt, cstr("<c@d>", "NOTIFY=NEVER"))
	rc.expect(ReplyCode("550 5.7.1 no"))
	rc.send(CmdBody, []byte("hi\r\n"))
	rc.expect(Continue)
	rc.send(CmdEOB, nil)
	rc.expect(AddHeader("X-A", "b"), Continue)
	rc.send(CmdQuit, nil)
	if err := srv.WaitEnded(1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	c.Close()
	got := srv.Log()
	wantLog := []string{
		"SESSION 1",
		"OPTNEG version=6 actions=0x1ff protocol=0x1fffff",
		`MACRO C "j"="host"`,
		`CONNECT "client" 4 25 "192.0.2.1"`,
		`HELO "x"`,
		`RCPT "<a@b>"`,
		`RCPT "<c@d>" "NOTIFY=NEVER"`,
		`BODY "hi\r\n"`,
		`EOB ""`,
		"QUIT",
		"CLOSED",
	}
	if !reflect.DeepEqual(got, wantLog) {
		t.Fatalf("log:\n%q\nwant:\n%q", got, wantLog)
	}
	if s1 := srv.Session(1); !reflect.DeepEqual(s1, wantLog[1:len(wantLog)-1]) || srv.Session(2) != nil {
		t.Errorf("Session(1) %q", s1)
	}
}

func TestServerFaults(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "m.sock")
	srv, err := Listen("unix", sock, Script{
		Faults:      map[byte]Fault{CmdHelo: {Kind: FaultClose}, CmdConnect: {Kind: FaultGarbage, Data: []byte{0, 0, 0, 0}}},
		ReadTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc := &rawClient{t: t, c: c, br: bufio.NewReader(c)}
	rc.send(CmdConnect, append(cstr("h"), 'U'))
	var four [4]byte
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := rc.br.Read(four[:]); err != nil || four != [4]byte{} {
		t.Fatalf("garbage: %v %v", four, err)
	}
	rc.send(CmdHelo, cstr("x"))
	if err := srv.WaitEnded(1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	want := []string{"SESSION 1", `CONNECT "h" U`, `HELO "x"`, "CLOSED"}
	if got := srv.Log(); !reflect.DeepEqual(got, want) {
		t.Fatalf("log %q, want %q", got, want)
	}
}
