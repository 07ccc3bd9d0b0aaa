package fdconn

import (
	"syscall"
	"unsafe"
)

func getsockoptTimeval(fd, opt int) (syscall.Timeval, error) {
	var tv syscall.Timeval
	l := uint32(unsafe.Sizeof(tv))
	_, _, errno := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(fd), syscall.SOL_SOCKET, uintptr(opt),
		uintptr(unsafe.Pointer(&tv)), uintptr(unsafe.Pointer(&l)), 0)
	if errno != 0 {
		return tv, errno
	}
	return tv, nil
}

func fcntl(fd, cmd int) (int, error) {
	r, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), uintptr(cmd), 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
