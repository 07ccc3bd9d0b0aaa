package fdconn

import (
	"syscall"
	"unsafe"
)

type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const (
	pollInEvent  = 0x1 // POLLIN
	pollOutEvent = 0x4 // POLLOUT
)

func poll(fds []pollFd, ms int) (int, error) {
	n, _, errno := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&fds[0])), uintptr(len(fds)), uintptr(ms))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
