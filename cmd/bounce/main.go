package main

import (
	"os"

	"gopostfix/libmaster"
)

func main() {
	libmaster.SingleServiceMain(os.Args, libmaster.Options{Unlimited: true}, newDaemon, (*daemon).postInit, (*daemon).serve)
}
