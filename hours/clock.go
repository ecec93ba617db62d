package hours

import (
	"fmt"
	"time"
)

// Clock is a local wall-clock time of day in minutes after midnight, from 0
// ("00:00") to 1440 ("24:00", the next midnight).
type Clock int

// Midnight and EndOfDay bound the clocks of one local date.
const (
	Midnight Clock = 0
	EndOfDay Clock = 24 * 60
)

// ParseClock parses "HH:MM" with two-digit hours 00–23 and minutes 00–59, or
// "24:00".
func ParseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("hours: clock %q: want HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	switch {
	case h == 24 && m == 0:
		return EndOfDay, nil
	case h == 24:
		return 0, fmt.Errorf("hours: clock %q: past the end of the day; 24:00 is the latest clock", s)
	case h > 23:
		return 0, fmt.Errorf("hours: clock %q: hour out of range", s)
	case m > 59:
		return 0, fmt.Errorf("hours: clock %q: minute out of range", s)
	}
	return Clock(h*60 + m), nil
}

// MustParseClock is like ParseClock but panics on error. It is for tests
// and constants.
func MustParseClock(s string) Clock {
	c, err := ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats c as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Date is a civil date, counted in days since 1970-01-01. It has no time
// zone: the instants it spans depend on one (see [DayStart]).
type Date int32

// DateOf returns the date of year, month and day, normalizing out-of-range
// values the way time.Date does.
func DateOf(year int, month time.Month, day int) Date {
	return Date(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDate parses a date in the form "2006-01-02" (years 0000–9999). A
// well-formed date that does not exist is refused with the reason:
//
//	hours: date "2026-02-30": February 2026 has 28 days
//	hours: date "2026-13-01": month 13 is out of range 01–12
func ParseDate(s string) (Date, error) {
	if !dateShaped(s) {
		return 0, fmt.Errorf("hours: date %q: want YYYY-MM-DD", s)
	}
	year := atoi(s[:4])
	month, day := time.Month(atoi(s[5:7])), atoi(s[8:])
	if month < time.January || month > time.December {
		return 0, fmt.Errorf("hours: date %q: month %d is out of range 01–12", s, month)
	}
	if n := daysIn(year, month); day < 1 || day > n {
		if day == 0 {
			return 0, fmt.Errorf("hours: date %q: day 0 is out of range (days start at 01)", s)
		}
		return 0, fmt.Errorf("hours: date %q: %s %d has %d days", s, month, year, n)
	}
	return DateOf(year, month, day), nil
}

// atoi converts a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn returns the number of days of month in year (proleptic
// Gregorian).
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustParseDate is like ParseDate but panics on error.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// utc returns midnight UTC of d, whose Y/M/D and weekday are d's.
func (d Date) utc() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Civil returns the year, month and day of d.
func (d Date) Civil() (year int, month time.Month, day int) { return d.utc().Date() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return time.Weekday((int64(d)%7 + 7 + 4) % 7) }

// String formats d as "2006-01-02".
func (d Date) String() string { return d.utc().Format(time.DateOnly) }

// MarshalText formats d as "2006-01-02".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Slot is the local wall-clock span [From, To) of one date.
type Slot struct {
	From, To Clock
}

// String formats s as "08:00-17:00".
func (s Slot) String() string { return s.From.String() + "-" + s.To.String() }

// TimeSlot is a slot in the contract's JSON shape: {"from":"08:00","to":"17:00"}.
type TimeSlot struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ParseSlot parses and checks a contract time slot: both clocks valid and
// From before To.
func ParseSlot(ts TimeSlot) (Slot, error) {
	from, err := ParseClock(ts.From)
	if err != nil {
		return Slot{}, err
	}
	if from == EndOfDay {
		return Slot{}, fmt.Errorf("hours: slot %q-%q: from cannot be 24:00", ts.From, ts.To)
	}
	to, err := ParseClock(ts.To)
	if err != nil {
		return Slot{}, err
	}
	if to <= from {
		return Slot{}, fmt.Errorf("hours: slot %q-%q: from must be before to (a slot across midnight is two slots)", ts.From, ts.To)
	}
	return Slot{from, to}, nil
}

// TimeSlot returns s in the contract's JSON shape.
func (s Slot) TimeSlot() TimeSlot { return TimeSlot{From: s.From.String(), To: s.To.String()} }
