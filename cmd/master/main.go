package main

import (
	"os"

	"gopostfix/libglobal/util/msg"
)

func main() {
	log := msg.New(msg.NewWriterSink("master", os.Stderr))
	os.Exit(Main(os.Args, log))
}
