package queue

import (
	"strings"
	"syscall"
)

// glibcText holds glibc's strerror texts where Go's differ in more than
// the capital letter.
var glibcText = map[syscall.Errno]string{
	syscall.EXDEV:        "Invalid cross-device link",
	syscall.ESPIPE:       "Illegal seek",
	syscall.EAGAIN:       "Resource temporarily unavailable",
	syscall.ENOTSUP:      "Operation not supported",
	syscall.ELOOP:        "Too many levels of symbolic links",
	syscall.EBUSY:        "Device or resource busy",
	syscall.ENOTEMPTY:    "Directory not empty",
	syscall.ECONNREFUSED: "Connection refused",
	syscall.ENOTCONN:     "Transport endpoint is not connected",
	syscall.EPIPE:        "Broken pipe",
	syscall.ENXIO:        "No such device or address",
	syscall.ETIMEDOUT:    "Connection timed out",
	syscall.EMFILE:       "Too many open files",
	syscall.ENFILE:       "Too many open files in system",
}

// errnoText is strerror(3) as glibc words it.
func errnoText(e syscall.Errno) string {
	if t, ok := glibcText[e]; ok {
		return t
	}
	t := e.Error()
	if t == "" {
		return t
	}
	return strings.ToUpper(t[:1]) + t[1:]
}
