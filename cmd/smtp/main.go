package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"

	"gopostfix/libmaster"
)

func main() {
	var lmtp bool
	switch name := filepath.Base(os.Args[0]); name {
	case "smtp":
	case "lmtp":
		lmtp = true
	default:
		fmt.Fprintf(os.Stderr, "%s: fatal: unexpected process name \"%s\" - specify \"smtp\" or \"lmtp\"\n", name, name)
		os.Exit(1)
	}
	var a *agent
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) { a.serve(c) },
		libmaster.Options{PreInit: func(s *libmaster.Server) (err error) {
			a, err = newAgent(s, lmtp)
			return err
		}})
}
