package testmilter

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// readPacket reads one length-prefixed packet.
func readPacket(br *bufio.Reader) (byte, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n < 1 || n > 1<<24 {
		return 0, nil, fmt.Errorf("bad packet length %d", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(br, buf); err != nil {
		return 0, nil, err
	}
	return buf[0], buf[1:], nil
}

// Decode renders one MTA packet as a log line.
func Decode(cmd byte, data []byte) string {
	name, ok := eventName[cmd]
	if !ok {
		return fmt.Sprintf("UNKNOWN-CMD %q %q", cmd, data)
	}
	var b strings.Builder
	b.WriteString(name)
	switch cmd {
	case CmdOptneg:
		if len(data) == 12 {
			fmt.Fprintf(&b, " version=%d actions=%#x protocol=%#x",
				binary.BigEndian.Uint32(data), binary.BigEndian.Uint32(data[4:]), binary.BigEndian.Uint32(data[8:]))
			return b.String()
		}
	case CmdMacro:
		if len(data) >= 1 {
			fmt.Fprintf(&b, " %c", data[0])
			parts := splitNul(data[1:])
			for i := 0; i+1 < len(parts); i += 2 {
				fmt.Fprintf(&b, " %q=%q", parts[i], parts[i+1])
			}
			if len(parts)%2 == 1 {
				fmt.Fprintf(&b, " %q", parts[len(parts)-1])
			}
			return b.String()
		}
	case CmdConnect:
		if i := indexNul(data); i >= 0 && i+1 < len(data) {
			fmt.Fprintf(&b, " %q %c", data[:i], data[i+1])
			rest := data[i+2:]
			if data[i+1] == 'U' && len(rest) == 0 {
				return b.String()
			}
			if len(rest) >= 2 {
				fmt.Fprintf(&b, " %d", binary.BigEndian.Uint16(rest))
				if parts := splitNul(rest[2:]); len(parts) == 1 {
					fmt.Fprintf(&b, " %q", parts[0])
					return b.String()
				}
			}
		}
	case CmdHelo, CmdMail, CmdRcpt, CmdUnknown, CmdHeader:
		if parts := splitNul(data); parts != nil {
			for _, p := range parts {
				fmt.Fprintf(&b, " %q", p)
			}
			return b.String()
		}
	case CmdBody, CmdEOB:
		fmt.Fprintf(&b, " %q", data)
		return b.String()
	default:
		if len(data) == 0 {
			return b.String()
		}
	}
	fmt.Fprintf(&b, " RAW %q", data)
	return b.String()
}

func indexNul(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// splitNul splits NUL-terminated strings; nil when the data does not end
// in a NUL (malformed).
func splitNul(b []byte) []string {
	if len(b) == 0 || b[len(b)-1] != 0 {
		return nil
	}
	return strings.Split(string(b[:len(b)-1]), "\x00")
}
