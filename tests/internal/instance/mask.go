package instance

import (
	"regexp"
	"strings"
)

// masks hide what differs between two runs of the same input: Message-Id
// stamps, Maildir names, queue IDs, dates and times, pids and delays.
var masks = []*regexp.Regexp{
	regexp.MustCompile(`<\d{14}\.`),
	regexp.MustCompile(`\.\d{9,11}/`),
	regexp.MustCompile(`[0-9A-F]{10,12}`),
	regexp.MustCompile(`(Sun|Mon|Tue|Wed|Thu|Fri|Sat)(,)? +\d+ [A-Z][a-z][a-z] \d{4} \d\d:\d\d:\d\d [+-]\d{4} \([A-Z]+\)`),
	regexp.MustCompile(`(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z][a-z] [ \d]\d \d\d:\d\d:\d\d \d{4}`),
	regexp.MustCompile(`[A-Z][a-z][a-z] [ \d]\d \d\d:\d\d:\d\d`),
	regexp.MustCompile(`\[\d+\]`),
	regexp.MustCompile(`delays?=[0-9./]+`),
}

// Mask replaces the instance directory root by @ROOT@ and everything
// that differs between runs by <M>.
func Mask(s, root string) string {
	if root != "" {
		s = strings.ReplaceAll(s, root, "@ROOT@")
	}
	for _, re := range masks {
		s = re.ReplaceAllString(s, "<M>")
	}
	return s
}

// Mask masks s with the instance's directory.
func (in *Instance) Mask(s string) string { return Mask(s, in.Root) }
