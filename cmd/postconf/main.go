package main

import (
	"os"
	"syscall"
)

func main() {
	syscall.Umask(022)
	pc := newPostconf(os.Args)
	pc.run()
	pc.exit(0)
}
