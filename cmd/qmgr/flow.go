package main

import (
	"syscall"
	"unsafe"

	"gopostfix/libmaster"
)

// The in-flow pipe master shares with its children (mail_flow.c): qmgr
// puts tokens in as it takes mail in from the incoming queue, and the
// mail-receiving processes take one per message, waiting in_flow_delay
// when there is none. This keeps them from running far ahead of qmgr.

// fionread is the Linux FIONREAD ioctl request.
const fionread = 0x541B

// flowCount returns the number of tokens in the pipe (mail_flow_count).
func (q *qmgr) flowCount() int {
	var n int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, libmaster.FlowReadFD, fionread, uintptr(unsafe.Pointer(&n))); e != 0 {
		q.log.Warnf("mail_flow_count: %s", strerror(e))
		return -1
	}
	return int(n)
}

// flowPut adds n tokens (mail_flow_put).
func flowPut(n int) {
	buf := make([]byte, min(n, 1024))
	for n > 0 {
		w, err := syscall.Write(libmaster.FlowWriteFD, buf[:min(n, len(buf))])
		if err != nil || w <= 0 {
			return
		}
		n -= w
	}
}

// flowGet removes n tokens (mail_flow_get).
func flowGet(n int) {
	buf := make([]byte, min(n, 1024))
	for n > 0 {
		r, err := syscall.Read(libmaster.FlowReadFD, buf[:min(n, len(buf))])
		if err != nil || r <= 0 {
			return
		}
		n -= r
	}
}

// flowControl keeps about default_process_limit tokens in the pipe
// (the in_flow_delay part of qmgr_loop).
func (q *qmgr) flowControl(fedIncoming bool) {
	if q.cfg.inFlowDelay <= 0 || q.s.Flags.StandAlone {
		return
	}
	count := q.flowCount()
	switch {
	case count < q.cfg.procLimit:
		if fedIncoming {
			flowPut(1)
		} else if q.scans[scanIncoming].dir == nil {
			flowPut(q.cfg.procLimit - count)
		}
	case count > q.cfg.procLimit:
		flowGet(count - q.cfg.procLimit)
	}
}
