package main

import (
	"syscall"
	"time"
)

// prSetTimerSlack is PR_SET_TIMERSLACK of prctl(2).
const prSetTimerSlack = 29

// setThreadTimerSlack sets the timer slack of the calling thread only;
// threads and processes it creates inherit it. Failure is harmless.
func setThreadTimerSlack(d time.Duration) {
	syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerSlack, uintptr(d), 0)
}
