package main

import (
	"os"

	"gopostfix/libmaster"
)

func main() {
	libmaster.SingleServiceMain(os.Args, libmaster.Options{Privileged: true},
		newAgent, (*agent).postInit, (*agent).serve)
}
