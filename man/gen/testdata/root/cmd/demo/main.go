// Command demo is a test daemon (demo(8)): it exercises every feature of
// the page generator. It reads fast_flush_domains and mentions
// myhostname.
//
// A second paragraph with an option -v, a path .forward and a page
// reference postconf(1).
//
//   - first item
//   - second item
//
// Verbatim text:
//
//	.starts with a dot
//	back\slash
//
// # Configuration parameters
//
//	trigger_timeout
//		How long a trigger may take.
//
//		A second paragraph.
//	not_a_parameter
//		Free text.
//
// # Differences from Postfix
//
// None worth naming.
package main

func main() {
	_ = "queue_directory"
	_ = "not_a_parameter_at_all"
}
