package mkmap

import (
	"os"
	"syscall"
	"unsafe"

	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/util/dict"
)

// registerProxy gives the commands' registry the proxy: client with the
// behaviour of Postfix's commands, which leave SIGPIPE at its default:
// when proxymap closed the connection before a request could be sent,
// the program dies of the signal without a word.
func registerProxy(reg *dict.Registry) {
	dictproxy.RegisterWith(reg, dictproxy.Options{BrokenPipe: dieOfSIGPIPE})
}

// dieOfSIGPIPE ends the process by SIGPIPE. The Go runtime catches the
// signal for every descriptor but standard output and error, so its
// disposition is first reset to the default (an all-zero sigaction).
func dieOfSIGPIPE() {
	var dfl [4]uintptr
	syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(syscall.SIGPIPE),
		uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0)
	syscall.Kill(os.Getpid(), syscall.SIGPIPE)
	select {} // the signal is on its way
}
