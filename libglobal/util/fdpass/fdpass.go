// Package fdpass sends and receives open file descriptors over UNIX-domain
// stream sockets, as Postfix's unix_send_fd(3) and unix_recv_fd(3) do:
// one data byte ("\0") carrying one SCM_RIGHTS descriptor per message.
// The "dummy" record handshake around it belongs to the attribute
// protocol (package attr).
package fdpass

import (
	"fmt"
	"net"
	"syscall"
)

// Send passes fd to the peer of c with a single "\0" data byte.
func Send(c *net.UnixConn, fd int) error {
	rights := syscall.UnixRights(fd)
	n, oobn, err := c.WriteMsgUnix([]byte{0}, rights, nil)
	if err != nil {
		return fmt.Errorf("send file descriptor: %w", err)
	}
	if n != 1 || oobn != len(rights) {
		return fmt.Errorf("send file descriptor: short write")
	}
	return nil
}

// Recv receives one descriptor sent with Send. The returned descriptor is
// close-on-exec; the caller owns it. Extra descriptors, if a peer sends
// more than one, are closed.
func Recv(c *net.UnixConn) (int, error) {
	buf := make([]byte, 1)
	oob := make([]byte, syscall.CmsgSpace(4*4))
	n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
	if err != nil {
		return -1, fmt.Errorf("receive file descriptor: %w", err)
	}
	return parseRights(n, oob[:oobn])
}

// RecvSyscall is Recv on a UNIX-domain stream socket that is not a
// *net.UnixConn but gives access to its descriptor (a blocking
// connection of package fdconn).
func RecvSyscall(c syscall.Conn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, fmt.Errorf("receive file descriptor: %w", err)
	}
	buf := make([]byte, 1)
	oob := make([]byte, syscall.CmsgSpace(4*4))
	var n, oobn int
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		n, oobn, _, _, rerr = syscall.Recvmsg(int(fd), buf, oob, syscall.MSG_CMSG_CLOEXEC)
		return rerr != syscall.EAGAIN
	})
	if err == nil {
		err = rerr
	}
	if err != nil {
		return -1, fmt.Errorf("receive file descriptor: %w", err)
	}
	return parseRights(n, oob[:oobn])
}

// parseRights takes the descriptor out of a received message of n data
// bytes and the control data oob.
func parseRights(n int, oob []byte) (int, error) {
	oobn := len(oob)
	if n == 0 && oobn == 0 {
		return -1, fmt.Errorf("receive file descriptor: unexpected end-of-input")
	}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return -1, fmt.Errorf("receive file descriptor: %w", err)
	}
	fd := -1
	for _, m := range msgs {
		fds, err := syscall.ParseUnixRights(&m)
		if err != nil {
			continue
		}
		for _, f := range fds {
			if fd < 0 {
				fd = f
			} else {
				syscall.Close(f)
			}
		}
	}
	if fd < 0 {
		return -1, fmt.Errorf("receive file descriptor: no descriptor in message")
	}
	syscall.CloseOnExec(fd)
	return fd, nil
}
