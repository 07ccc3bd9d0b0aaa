// Package syserr renders system errors the way the C library's
// strerror(3) words them, which is what Postfix prints for "%m": glibc's
// texts ("No such file or directory", "Illegal seek", "Unknown error 41"),
// without the "open FILE:" decorations Go wraps around an errno. Every
// program and library of this project that prints an errno text goes
// through here, so that one table decides the wording.
package syserr
