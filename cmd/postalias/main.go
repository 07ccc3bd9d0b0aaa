// Command postalias creates, queries and updates Postfix alias databases,
// as postalias(1) of Postfix 3.7: same options, output, diagnostics, exit
// status and table files. After the entries it stores "@" (the Sendmail
// completeness mark) and the NIS keys YP_LAST_MODIFIED and YP_MASTER_NAME,
// as Debian's build does.
//
// Usage: postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key]
// [map_type:]file...
package main

import (
	"os"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/maps/mkmap"
)

func main() {
	s := mkmap.NewSetup(os.Args[0])
	s.UsageText = "[-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
	o := s.ParseOptions(os.Args, "Nc:d:finopq:rsuvw")
	s.ReadConfig(o.ConfigDir)
	t := s.Tool(maptypes.NewRegistry(nil), "%s:\t%s\n")
	t.PlainQueryErrors = true
	os.Exit(run(s, t, o))
}
