package milter

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func pkt(code byte, data string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(1+len(data)))
	return append(append(b, code), data...)
}

// FuzzReplies feeds arbitrary milter output to the reply loop of an
// end-of-message event: it must end (at the final reply, an error or end
// of input) without panicking, and leave a consistent state.
func FuzzReplies(f *testing.F) {
	for _, seed := range [][]byte{
		pkt('c', ""),
		append(pkt('h', "X\x00y\x00"), pkt('a', "")...),
		append(pkt('b', "line\r\nmore"), pkt('c', "")...),
		pkt('y', "550 5.7.1 no %%"),
		append(pkt('m', "\x00\x00\x00\x01Subject\x00\x00"), pkt('d', "")...),
		append(pkt('e', "<a>\x00ARG\x00"), pkt('2', "<b>\x00")...),
		pkt('q', "why"),
		{0, 0, 0, 0},
		{0xff, 0xff, 0xff, 0xff, 'b'},
		pkt('i', "\x00\x00"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		client, server := net.Pipe()
		defer client.Close()
		go func() {
			server.Write(data)
			server.Close()
		}()
		ms := &Milters{editor: nopEditor{}, lineLimit: 16, hdrLimit: 1024, log: msg.Discard()}
		m := &milter8{name: "fuzz", defAction: "tempfail", parent: ms, log: ms.log, state: statMessage}
		m.attach(client)
		m.timeout = time.Second
		resp := m.replies(cmdEOB, 0)
		if m.state == statError && resp != m.defReply && resp != "D" && resp != "S" {
			t.Fatalf("error state with reply %q, default %q", resp, m.defReply)
		}
	})
}
