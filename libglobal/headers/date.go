package headers

import (
	"fmt"
	"time"
)

// MailDate formats t as Postfix's Date: and Received: headers show it
// (mail_date): "Sun, 29 Nov 2026 14:04:55 +0000 (UTC)", the day of month
// padded with a space, the offset as signed hours and minutes and the
// zone abbreviation in parentheses, all in t's location.
func MailDate(t time.Time) string {
	name, off := t.Zone()
	off /= 60
	hours, mins := off/60, off%60
	if mins < 0 {
		mins = -mins
	}
	return fmt.Sprintf("%s, %2d %s %d %02d:%02d:%02d %+03d%02d (%s)",
		t.Format("Mon"), t.Day(), t.Format("Jan"), t.Year(), t.Hour(), t.Minute(), t.Second(),
		hours, mins, name)
}
