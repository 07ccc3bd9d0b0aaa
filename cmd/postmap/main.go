package main

import (
	"os"
	"runtime/debug"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/maps/mkmap"
)

func main() {
	debug.SetGCPercent(mkmap.GCPercent)
	s := mkmap.NewSetup(os.Args[0])
	s.UsageText = "[-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
	o := s.ParseOptions(os.Args, "bc:d:fFhimnNopq:rsuUvw")
	s.ReadConfig(o.ConfigDir)
	t := s.Tool(maptypes.NewRegistry(nil), "%s\t%s\n")
	os.Exit(run(s, t, o))
}
