package shifts

import (
	"fmt"
	"time"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// RepeatType is how a recurring shift repeats.
type RepeatType uint8

// The repeat types of the contract.
const (
	Never RepeatType = iota
	Daily
	Weekly
)

var repeatNames = [...]string{Never: "Never", Daily: "Daily", Weekly: "Weekly"}

func (r RepeatType) String() string {
	if int(r) < len(repeatNames) {
		return repeatNames[r]
	}
	return fmt.Sprintf("RepeatType(%d)", r)
}

// RepeatRule is a repeat rule in the contract's JSON shape.
type RepeatRule struct {
	RepeatType     string   `json:"repeatType"`
	RepeatInterval int      `json:"repeatInterval,omitempty"`
	ShiftDays      []string `json:"shiftDays,omitempty"`
	RepeatEndDate  string   `json:"repeatEndDate,omitempty"`
}

// Repeat is a validated repeat rule. Occurrences fall on the first shift's
// local date and then every Interval days (Daily) or, for Weekly, on Days of
// every Interval-th week counted from the first shift's week (weeks start
// on Sunday), up to and including EndDate.
type Repeat struct {
	Type     RepeatType
	Interval int
	Days     []time.Weekday // Weekly only; empty means the first shift's weekday
	EndDate  hours.Date
}

// ParseRepeat validates a contract repeat rule. Interval defaults to 1;
// Daily and Weekly need an end date, so that expansion is finite.
func ParseRepeat(r RepeatRule) (Repeat, error) {
	var errs validate.Errors
	var out Repeat
	switch r.RepeatType {
	case "Never", "":
		return Repeat{Type: Never}, nil
	case "Daily":
		out.Type = Daily
	case "Weekly":
		out.Type = Weekly
	default:
		errs.Add("repeatType", "shifts: unknown repeat type %q (want Never, Daily or Weekly)", r.RepeatType)
	}
	out.Interval = r.RepeatInterval
	if out.Interval == 0 {
		out.Interval = 1
	}
	if out.Interval < 0 {
		errs.Add("repeatInterval", "shifts: repeat interval %d must be positive", r.RepeatInterval)
	}
	for i, name := range r.ShiftDays {
		d, err := hours.ParseWeekday(name)
		if err != nil {
			errs.Add(validate.Index("shiftDays", i), "%v", err)
		}
		out.Days = append(out.Days, d)
	}
	if d, err := hours.ParseDate(r.RepeatEndDate); err != nil {
		errs.Add("repeatEndDate", "%v", err)
	} else {
		out.EndDate = d
	}
	return out, errs.Err()
}

// Expand returns the occurrences of the recurring shift first under rule r
// that meet [from, to), in time order, with ID 0 (the store assigns ids).
// Each occurrence keeps first's local start and end clock times in loc,
// converted with [hours.Local], so it stays at the same wall-clock hours
// across DST changes; first's own span counts as the first occurrence.
func Expand(loc *time.Location, first Shift, r Repeat, from, to time.Time) []Shift {
	lo, hi := from.Unix(), to.Unix()
	startDate, startClock, startSec := split(loc, first.Start.Unix())
	endDate, endClock, endSec := split(loc, first.End.Unix())
	days := endDate - startDate
	at := func(d hours.Date) Shift {
		sh := first
		sh.ID = 0
		sh.Start = time.Unix(hours.Local(loc, d, startClock)+startSec, 0).In(loc)
		sh.End = time.Unix(hours.Local(loc, d+days, endClock)+endSec, 0).In(loc)
		return sh
	}
	var dates []hours.Date
	switch r.Type {
	case Never:
		dates = []hours.Date{startDate}
	case Daily:
		for d := startDate; d <= r.EndDate; d += hours.Date(r.Interval) {
			dates = append(dates, d)
		}
	case Weekly:
		var mask uint8
		for _, wd := range r.Days {
			mask |= 1 << wd
		}
		if mask == 0 {
			mask = 1 << startDate.Weekday()
		}
		weekStart := startDate - hours.Date(startDate.Weekday())
		for d := startDate; d <= r.EndDate; d++ {
			week := int(d-weekStart) / 7
			if week%r.Interval == 0 && mask&(1<<d.Weekday()) != 0 {
				dates = append(dates, d)
			}
		}
	}
	var out []Shift
	for _, d := range dates {
		if sh := at(d); sh.Start.Unix() < hi && sh.End.Unix() > lo && sh.Start.Before(sh.End) {
			out = append(out, sh)
		}
	}
	return out
}

// split returns the local date, the wall-clock minute and the leftover
// seconds of instant u in loc.
func split(loc *time.Location, u int64) (hours.Date, hours.Clock, int64) {
	t := time.Unix(u, 0).In(loc)
	y, m, d := t.Date()
	return hours.DateOf(y, m, d), hours.Clock(t.Hour()*60 + t.Minute()), int64(t.Second())
}
