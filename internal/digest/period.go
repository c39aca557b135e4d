package digest

import (
	"fmt"
	"time"
)

// Period is the ISO week a digest covers, such as 2026-W48.
type Period struct {
	Year, Week int
}

func (p Period) String() string { return fmt.Sprintf("%04d-W%02d", p.Year, p.Week) }

// ParsePeriod reads "2026-W48".
func ParsePeriod(s string) (Period, error) {
	var p Period
	if _, err := fmt.Sscanf(s, "%04d-W%02d", &p.Year, &p.Week); err != nil || p.Week < 1 || p.Week > 53 || p.Year < 2000 {
		return Period{}, fmt.Errorf("week %q: want YYYY-Www, such as 2026-W48", s)
	}
	if p.Start(time.UTC).AddDate(0, 0, 3).Year() != p.Year {
		return Period{}, fmt.Errorf("week %q does not exist", s)
	}
	return p, nil
}

// Start is the Monday 00:00 that begins the week, in loc.
func (p Period) Start(loc *time.Location) time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(p.Year, 1, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(p.Week-1))
}

// End is the Monday 00:00 after the week, in loc.
func (p Period) End(loc *time.Location) time.Time { return p.Start(loc).AddDate(0, 0, 7) }

// PeriodOf is the ISO week that contains t.
func PeriodOf(t time.Time) Period {
	y, w := t.ISOWeek()
	return Period{y, w}
}

// LastComplete is the week that ended most recently before t, in loc.
func LastComplete(t time.Time, loc *time.Location) Period {
	return PeriodOf(t.In(loc).AddDate(0, 0, -7))
}

// Due reports whether an account that wants a digest every n weeks gets
// one for p: every week, or on weeks whose number is a multiple of n.
func (p Period) Due(every int) bool {
	if every <= 1 {
		return true
	}
	return p.Week%every == 0
}
