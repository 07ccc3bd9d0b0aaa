package main

import (
	"io/fs"
	"syscall"

	"gopostfix/libglobal/util/getopt"
)

func opt(c byte, arg string) getopt.Option { return getopt.Option{Char: c, Arg: arg} }

func statIno(fi fs.FileInfo) uint64 { return fi.Sys().(*syscall.Stat_t).Ino }
