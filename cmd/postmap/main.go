// Command postmap creates, queries and updates Postfix lookup tables, as
// postmap(1) of Postfix 3.7: same options, output, diagnostics, exit
// status and table files (cdb files are byte for byte identical).
//
// Usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key]
// [map_type:]file...
//
// Deliberate differences: -m (MIME processing of -b/-h input) treats the
// message as plain RFC 5322 text.
package main

import (
	"os"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/maps/mkmap"
)

func main() {
	s := mkmap.NewSetup(os.Args[0])
	s.UsageText = "[-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
	o := s.ParseOptions(os.Args, "bc:d:fFhimnNopq:rsuUvw")
	s.ReadConfig(o.ConfigDir)
	t := s.Tool(maptypes.NewRegistry(nil), "%s\t%s\n")
	os.Exit(run(s, t, o))
}
