// Command postkick shows a test command, as its page says. More text.
//
// # Synopsis
//
//	postkick [-lv] [-c config_dir] [map_type:]file ...
//	postkick -q key
//		[file]
//
// # Options
//
//	-c config_dir
//		Read main.cf from config_dir.
//	-l
//		List.
//
// # See also
//
// Nothing else.
package main
