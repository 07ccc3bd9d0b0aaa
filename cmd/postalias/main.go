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
	s.UsageText = "[-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
	o := s.ParseOptions(os.Args, "Nc:d:finopq:rsuvw")
	s.ReadConfig(o.ConfigDir)
	t := s.Tool(maptypes.NewRegistry(nil), "%s:\t%s\n")
	t.PlainQueryErrors = true
	os.Exit(run(s, t, o))
}
