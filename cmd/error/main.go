package main

import (
	"os"

	"gopostfix/libmaster/simpleagent"
)

func main() {
	simpleagent.Main(os.Args, deliverError)
}
