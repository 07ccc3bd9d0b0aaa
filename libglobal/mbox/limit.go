package mbox

import (
	"fmt"
	"syscall"
)

// SetFileLimit makes a mailbox size limit the process's file size limit
// (set_file_limit), after the checks local(8) and virtual(8) make at
// start-up: the limit (parameter param, 0 for none) must not be below
// message_size_limit, which must then be limited too, or the agent
// could not even update a queue file.
func SetFileLimit(param string, limit, messageLimit int64) error {
	if limit == 0 {
		return nil
	}
	if messageLimit == 0 {
		return fmt.Errorf("configuration error: %s is limited but %s is unlimited", param, "message_size_limit")
	}
	if limit < messageLimit {
		return fmt.Errorf("configuration error: %s is smaller than %s", param, "message_size_limit")
	}
	lim := syscall.Rlimit{Cur: uint64(limit), Max: uint64(limit)}
	return syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
}
