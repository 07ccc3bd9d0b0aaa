package deliver

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Stats are the time stamps of a message's trip through the mail system
// (MSG_STATS); a zero time means "not known". log lines compute their
// delays from them.
type Stats struct {
	IncomingArrival time.Time // entered the incoming queue
	ActiveArrival   time.Time // entered the active queue
	AgentHandoff    time.Time // handed to the delivery agent
	ConnSetupDone   time.Time // connection set up (smtp, lmtp)
	DeliverDone     time.Time // transmission finished (multi-recipient agents)
	ReuseCount      int       // connection reuse count
}

// StatsSize is the size of MSG_STATS on LP64 Linux.
const StatsSize = 5*16 + 8

// Encode returns the raw structure qmgr sends as the "time" attribute.
func (s Stats) Encode() []byte {
	b := make([]byte, StatsSize)
	for i, t := range []time.Time{s.IncomingArrival, s.ActiveArrival, s.AgentHandoff, s.ConnSetupDone, s.DeliverDone} {
		var sec, usec int64
		if !t.IsZero() {
			sec, usec = t.Unix(), int64(t.Nanosecond()/1000)
		}
		binary.NativeEndian.PutUint64(b[i*16:], uint64(sec))
		binary.NativeEndian.PutUint64(b[i*16+8:], uint64(usec))
	}
	binary.NativeEndian.PutUint32(b[80:], uint32(int32(s.ReuseCount)))
	return b
}

// DecodeStats parses the raw structure. A wrong size gives msg_stats_scan's
// warning text.
func DecodeStats(b []byte) (Stats, error) {
	var s Stats
	if len(b) != StatsSize {
		return s, fmt.Errorf("msg_stats_scan: size mis-match: %d != %d", len(b), StatsSize)
	}
	ts := make([]time.Time, 5)
	for i := range ts {
		sec := int64(binary.NativeEndian.Uint64(b[i*16:]))
		usec := int64(binary.NativeEndian.Uint64(b[i*16+8:]))
		if sec != 0 || usec != 0 {
			ts[i] = time.Unix(sec, usec*1000)
		}
	}
	s.IncomingArrival, s.ActiveArrival, s.AgentHandoff, s.ConnSetupDone, s.DeliverDone = ts[0], ts[1], ts[2], ts[3], ts[4]
	s.ReuseCount = int(int32(binary.NativeEndian.Uint32(b[80:])))
	return s, nil
}
