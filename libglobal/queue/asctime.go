package queue

import (
	"fmt"
	"time"
)

// Asctime formats t the way C asctime(localtime(&t)) does, newline
// included: "Sun Nov 29 13:23:23 2026\n", day of month padded with a
// space. postcat and the queue listing show times this way.
func Asctime(t int64) string {
	tm := time.Unix(t, 0).Local()
	return fmt.Sprintf("%.3s %.3s%3d %.2d:%.2d:%.2d %d\n",
		tm.Weekday().String(), tm.Month().String(), tm.Day(),
		tm.Hour(), tm.Minute(), tm.Second(), tm.Year())
}
