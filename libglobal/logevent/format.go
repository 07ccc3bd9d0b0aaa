package logevent

import (
	"strconv"
	"strings"
)

// FormatTV formats sec.usec with sig significant digits and at most
// maxDig decimals (format_tv): large values are rounded to whole
// seconds, small ones keep two significant digits down to the
// resolution, and no trailing zeros or dot are printed.
func FormatTV(sec, usec int64, sig, maxDig int) string {
	const million = 1000000
	pow10 := []int64{1, 10, 100, 1000, 10000, 100000, 1000000}
	if maxDig < 0 || maxDig > 6 || sig < 1 || sig > 6 || sec < 0 || usec < 0 || usec > million {
		panic("format_tv: bad arguments")
	}
	ures := million / pow10[maxDig]
	wid := pow10[sig]
	if ures < million {
		if sec > 0 {
			n := int64(1)
			for sec >= n && n <= wid/10 {
				n *= 10
			}
			ures = (million / wid) * n
		} else {
			for usec >= wid*ures {
				ures *= 10
			}
		}
	}
	if ures > 1 {
		usec += ures / 2
		if usec >= million {
			sec++
			usec -= million
		}
	}
	var b strings.Builder
	b.WriteString(strconv.FormatInt(sec, 10))
	if usec >= ures {
		b.WriteByte('.')
		rem := usec
		for n := int64(million / 10); rem >= ures && n > 0; n /= 10 {
			b.WriteByte("0123456789"[rem/n])
			rem %= n
		}
	}
	return b.String()
}
