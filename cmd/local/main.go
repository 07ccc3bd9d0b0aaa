package main

import (
	"os"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libmaster"
)

func main() {
	// A table open that Postfix makes fatal whatever
	// dict_allow_surrogate says ends the agent with Postfix's text.
	libmaster.SingleServiceMain(os.Args, libmaster.Options{Privileged: true},
		func(s *libmaster.Server) (*agent, error) {
			a, err := newAgent(s)
			dict.ExitIfFatal(s.Log, err)
			return a, err
		}, (*agent).postInit, (*agent).serve)
}
