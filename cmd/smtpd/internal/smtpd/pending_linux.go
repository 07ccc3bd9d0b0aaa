package smtpd

import (
	"net"
	"syscall"
	"unsafe"
)

// socketPending asks the kernel how many bytes wait on a socket (FIONREAD,
// as Postfix's peekfd). ok is false when conn is not a socket.
func socketPending(conn net.Conn) (n int, ok bool) {
	sc, isSock := conn.(syscall.Conn)
	if !isSock {
		return 0, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, false
	}
	var count int32
	var errno syscall.Errno
	if err := raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&count)))
	}); err != nil || errno != 0 {
		return 0, false
	}
	return int(count), true
}
