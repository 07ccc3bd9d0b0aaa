package libmaster

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"sync"
)

// Descriptors a child inherits from master (master_proto.h).
const (
	FlowReadFD  = 3
	FlowWriteFD = 4
	StatusFD    = 5
	ListenFD    = 6
)

// Availability values of a status message.
const (
	StatTaken = 0
	StatAvail = 1
)

// StatusSize is the size of a status message.
const StatusSize = 12

// EncodeStatus builds the 12-byte status message in native byte order.
func EncodeStatus(pid int, gen uint32, avail int) []byte {
	b := make([]byte, StatusSize)
	binary.NativeEndian.PutUint32(b[0:], uint32(int32(pid)))
	binary.NativeEndian.PutUint32(b[4:], gen)
	binary.NativeEndian.PutUint32(b[8:], uint32(int32(avail)))
	return b
}

// DecodeStatus parses a status message.
func DecodeStatus(b []byte) (pid int, gen uint32, avail int, err error) {
	if len(b) != StatusSize {
		return 0, 0, 0, fmt.Errorf("partial status update (%d bytes)", len(b))
	}
	return int(int32(binary.NativeEndian.Uint32(b[0:]))), binary.NativeEndian.Uint32(b[4:]),
		int(int32(binary.NativeEndian.Uint32(b[8:]))), nil
}

// ParseGeneration reads the GENERATION environment value: octal digits.
func ParseGeneration(s string) (uint32, error) {
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad generation: %s", s)
		}
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("bad generation: %s", s)
	}
	return uint32(v), nil
}

// notifier writes status messages to master. A nil file (stand-alone
// mode) makes it silent.
type notifier struct {
	mu   sync.Mutex
	f    *os.File
	pid  int
	gen  uint32
	busy int
}

// notify sends one status; it reports whether master got it.
func (n *notifier) notify(avail int) bool {
	if n == nil || n.f == nil {
		return true
	}
	_, err := n.f.Write(EncodeStatus(n.pid, n.gen, avail))
	return err == nil
}

// take and release count concurrent work: the first taker reports TAKEN,
// the last releaser AVAIL.
func (n *notifier) take() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.busy++
	if n.busy == 1 {
		n.notify(StatTaken)
	}
}

func (n *notifier) release() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.busy--
	if n.busy == 0 {
		return n.notify(StatAvail)
	}
	return true
}
