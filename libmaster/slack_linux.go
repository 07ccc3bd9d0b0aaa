package libmaster

import (
	"os"
	"strconv"
	"time"
)

// SetTimerSlack writes d as the timer slack of each thread of the
// process (/proc/TID/timerslack_ns; other threads than the caller need
// CAP_SYS_NICE, which a daemon started by master has). Threads created
// later inherit it. Failure is harmless: the default slack stays.
func SetTimerSlack(d time.Duration) {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return
	}
	v := []byte(strconv.FormatInt(int64(d), 10))
	for _, e := range ents {
		f, err := os.OpenFile("/proc/"+e.Name()+"/timerslack_ns", os.O_WRONLY, 0)
		if err != nil {
			continue
		}
		f.Write(v)
		f.Close()
	}
}
