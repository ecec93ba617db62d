package hours

import (
	"fmt"
	"time"
)

// The range of instants the project accepts at its boundaries (files,
// requests, flags): [1900-01-01T00:00:00Z, 2200-01-01T00:00:00Z). Outside
// it an instant is a typo (year 1, year 20207) rather than a plan, and far
// in the past time zones answer local mean time, so a shift "starting in
// year 1" would be echoed some seconds off.
var (
	MinInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxInstant = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// CheckInstant reports an error when t is outside [MinInstant,
// MaxInstant).
func CheckInstant(t time.Time) error {
	if t.Before(MinInstant) || !t.Before(MaxInstant) {
		return fmt.Errorf("hours: date-time %s is outside the supported years 1900–2199", t.Format(time.RFC3339))
	}
	return nil
}

// ParseInstant parses an RFC 3339 date-time with any offset and checks it
// with [CheckInstant].
func ParseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("hours: date-time %q is not RFC 3339 (want 2027-03-09T08:00:00-07:00)", s)
	}
	if err := CheckInstant(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}
