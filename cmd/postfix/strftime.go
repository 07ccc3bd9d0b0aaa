package main

import (
	"fmt"
	"strings"
	"time"
)

// strftime formats t as date(1) does with "+FORMAT" for the conversions
// that a log file suffix can sensibly use; an unknown conversion is kept
// as written.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		if s, ok := conversion(format[i], t); ok {
			b.WriteString(s)
		} else {
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

func conversion(c byte, t time.Time) (string, bool) {
	switch c {
	case '%':
		return "%", true
	case 'Y':
		return fmt.Sprintf("%d", t.Year()), true
	case 'C':
		return fmt.Sprintf("%02d", t.Year()/100), true
	case 'y':
		return fmt.Sprintf("%02d", t.Year()%100), true
	case 'm':
		return fmt.Sprintf("%02d", int(t.Month())), true
	case 'd':
		return fmt.Sprintf("%02d", t.Day()), true
	case 'e':
		return fmt.Sprintf("%2d", t.Day()), true
	case 'H':
		return fmt.Sprintf("%02d", t.Hour()), true
	case 'I':
		return fmt.Sprintf("%02d", (t.Hour()+11)%12+1), true
	case 'M':
		return fmt.Sprintf("%02d", t.Minute()), true
	case 'S':
		return fmt.Sprintf("%02d", t.Second()), true
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay()), true
	case 's':
		return fmt.Sprintf("%d", t.Unix()), true
	case 'N':
		return fmt.Sprintf("%09d", t.Nanosecond()), true
	case 'u':
		return fmt.Sprintf("%d", (int(t.Weekday())+6)%7+1), true
	case 'w':
		return fmt.Sprintf("%d", int(t.Weekday())), true
	case 'q':
		return fmt.Sprintf("%d", (int(t.Month())+2)/3), true
	case 'a':
		return t.Format("Mon"), true
	case 'A':
		return t.Format("Monday"), true
	case 'b', 'h':
		return t.Format("Jan"), true
	case 'B':
		return t.Format("January"), true
	case 'p':
		return t.Format("PM"), true
	case 'z':
		return t.Format("-0700"), true
	case 'Z':
		return t.Format("MST"), true
	case 'F':
		return t.Format("2006-01-02"), true
	case 'T':
		return t.Format("15:04:05"), true
	case 'R':
		return t.Format("15:04"), true
	case 'D':
		return t.Format("01/02/06"), true
	case 'n':
		return "\n", true
	case 't':
		return "\t", true
	}
	return "", false
}
