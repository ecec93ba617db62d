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

// RepeatRule is a repeat rule as JSON gives one, in the names dispatch
// APIs use for recurring shifts (repeatType, repeatInterval, shiftDays,
// repeatEndDate). This project's contract (api/openapi.yaml) carries no
// repeat rule: the synthetic tenants use it, through [ParseRepeat].
type RepeatRule struct {
	RepeatType     string   `json:"repeatType"`
	RepeatInterval int      `json:"repeatInterval,omitempty"`
	ShiftDays      []string `json:"shiftDays,omitempty"`
	RepeatEndDate  string   `json:"repeatEndDate,omitempty"`
}

// Repeat is a repeat rule. Occurrences fall on the first shift's local
// date and then every Interval days (Daily) or, for Weekly, on Days of
// every Interval-th week counted from the first shift's week (weeks start
// on Sunday), up to and including EndDate.
//
// The zero Repeat is valid and repeats nothing: its Type is Never, so
// [Expand] gives the first shift alone. An Interval of 0 means 1, as an
// absent repeatInterval does for [ParseRepeat]; a negative one is
// invalid. Days are Sunday … Saturday, read by Weekly only; empty means
// the first shift's weekday. Daily and Weekly need an EndDate, within the
// years 1900–2199 (those of [hours.CheckInstant]) and not before the first
// shift's local date, so that expansion is finite: the zero EndDate
// (hours.Date 0, 1970-01-01) is taken as missing, never as a date.
// [Repeat.Validate] says what is wrong with one built by hand.
type Repeat struct {
	Type     RepeatType
	Interval int            // 0 means 1
	Days     []time.Weekday // Weekly only; empty means the first shift's weekday
	EndDate  hours.Date     // required by Daily and Weekly
}

// firstDate and lastDate are the local dates a repeat may end on: those
// of the years [hours.CheckInstant] accepts.
var firstDate, lastDate = hours.DateOf(1900, time.January, 1), hours.DateOf(2199, time.December, 31)

// ParseRepeat validates a contract repeat rule. Interval defaults to 1;
// Daily and Weekly need an end date, so that expansion is finite. The
// rule is checked as [Repeat.Validate] checks a Repeat, with the same
// paths, every problem at once.
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
		errs.Add("repeatType", "shifts: unknown repeat type %q (want Never, Daily or Weekly): %w", r.RepeatType, ErrInvalid)
	}
	out.Interval = r.RepeatInterval
	if out.Interval == 0 {
		out.Interval = 1
	}
	if out.Interval < 0 {
		errs.Add("repeatInterval", "shifts: repeat interval %d must be positive: %w", r.RepeatInterval, ErrInvalid)
	}
	for i, name := range r.ShiftDays {
		d, err := hours.ParseWeekday(name)
		if err != nil {
			errs.Add(validate.Index("shiftDays", i), "%v: %w", err, ErrInvalid)
		}
		out.Days = append(out.Days, d)
	}
	if d, err := hours.ParseDate(r.RepeatEndDate); err != nil {
		errs.Add("repeatEndDate", "%v: %w", err, ErrInvalid)
	} else {
		out.EndDate = d
		checkEndDate(&errs, out)
	}
	return out, errs.Err()
}

// Validate reports every problem of r, with the paths of [RepeatRule]'s
// fields: a Type other than Never, Daily and Weekly; a negative Interval;
// a weekday of Days outside Sunday … Saturday; for Daily and Weekly, an
// EndDate missing (the zero Date) or outside the years 1900–2199. The
// errors wrap [ErrInvalid]. [Expand] checks r with it, and checks too that
// EndDate is not before the first shift's date.
func (r Repeat) Validate() error {
	var errs validate.Errors
	if r.Type > Weekly {
		errs.Add("repeatType", "shifts: unknown repeat type %d (want Never, Daily or Weekly): %w", r.Type, ErrInvalid)
	}
	if r.Interval < 0 {
		errs.Add("repeatInterval", "shifts: repeat interval %d must be positive: %w", r.Interval, ErrInvalid)
	}
	for i, d := range r.Days {
		if d < time.Sunday || d > time.Saturday {
			errs.Add(validate.Index("shiftDays", i), "shifts: weekday %d is outside Sunday (0) … Saturday (6): %w", int(d), ErrInvalid)
		}
	}
	checkEndDate(&errs, r)
	return errs.Err()
}

// checkEndDate reports r's EndDate when r needs one and it is missing or
// outside [firstDate, lastDate].
func checkEndDate(errs *validate.Errors, r Repeat) {
	if r.Type != Daily && r.Type != Weekly {
		return
	}
	switch {
	case r.EndDate == 0:
		errs.Add("repeatEndDate", "shifts: repeat end date is missing: %s needs one, so that expansion is finite (the zero hours.Date, 1970-01-01, is taken as missing): %w", r.Type, ErrInvalid)
	case r.EndDate < firstDate || r.EndDate > lastDate:
		errs.Add("repeatEndDate", "shifts: repeat end date %s is outside the years 1900–2199: %w", r.EndDate, ErrInvalid)
	}
}

// Expand returns the occurrences of the recurring shift first under rule r
// that meet [from, to), in time order, with ID 0 (the store assigns ids).
// Each occurrence keeps first's local start and end clock times in loc
// (UTC when nil), converted with [hours.Local], so it stays at the same
// wall-clock hours across DST changes; an occurrence that a DST change
// empties is left out. first's own span is the first occurrence (for
// Weekly, when its weekday is one of Days).
//
// The error, a [validate.Errors] wrapping [ErrInvalid] with every problem
// at once, is [Repeat.Validate]'s, or says that first's span is missing,
// empty, longer than [MaxLength] or outside the years of
// [hours.CheckInstant] (paths "start" and "end"), or that r ends before
// first's local date ("repeatEndDate"). Expand never panics, and its work
// is bounded: it visits only the dates from first's to r.EndDate — at most
// the 300 years' worth from 1900 to 2199 — that can meet [from, to), and
// gives at most one occurrence per date.
func Expand(loc *time.Location, first Shift, r Repeat, from, to time.Time) ([]Shift, error) {
	if loc == nil {
		loc = time.UTC
	}
	var errs validate.Errors
	checkFirst(&errs, first)
	errs.AddErr("", r.Validate())
	if len(errs) > 0 {
		return nil, errs
	}
	startDate, startClock, startSec := split(loc, first.Start.Unix())
	endDate, endClock, endSec := split(loc, first.End.Unix())
	if r.Type != Never && r.EndDate < startDate {
		errs.Add("repeatEndDate", "shifts: repeat end date %s is before the first shift's date %s: %w", r.EndDate, startDate, ErrInvalid)
		return nil, errs
	}
	days := endDate - startDate // 0 to 8: first lasts at most MaxLength
	at := func(d hours.Date) Shift {
		sh := first
		sh.ID = 0
		sh.Start = time.Unix(hours.Local(loc, d, startClock)+startSec, 0).In(loc)
		sh.End = time.Unix(hours.Local(loc, d+days, endClock)+endSec, 0).In(loc)
		return sh
	}
	// Only the dates [lo, hi] whose occurrence can meet [from, to) are
	// visited, a superset: a local time lies within 15 hours of the same
	// time read as UTC (offsets are within ±15 hours), or a day later in
	// a gap (Pacific/Apia skipped 2011-12-30), and an occurrence ends days
	// after its own date. Arithmetic is in int64, clear of overflow
	// whatever from, to and the interval.
	fromU, toU := from.Unix(), to.Unix()
	lo, hi := int64(startDate), int64(r.EndDate)
	lo = max(lo, floorDiv(fromU, 86400)-int64(days)-3)
	hi = min(hi, floorDiv(toU, 86400)+3)
	step := max(int64(r.Interval), 1) // 0 means 1
	var dates []hours.Date
	switch {
	case r.Type == Never:
		dates = []hours.Date{startDate}
	case lo > hi:
		// nothing meets [from, to)
	case r.Type == Daily:
		// The dates startDate + k×step in [lo, hi].
		k := (lo - int64(startDate)) / step
		if (lo-int64(startDate))%step != 0 {
			k++
		}
		if k <= (hi-int64(startDate))/step {
			for d := int64(startDate) + k*step; ; d += step {
				dates = append(dates, hours.Date(d))
				if hi-d < step {
					break
				}
			}
		}
	case r.Type == Weekly:
		var mask uint8
		for _, wd := range r.Days {
			mask |= 1 << wd
		}
		if mask == 0 {
			mask = 1 << startDate.Weekday()
		}
		weekStart := int64(startDate) - int64(startDate.Weekday())
		for d := lo; d <= hi; d++ {
			if week := (d - weekStart) / 7; week%step == 0 && mask&(1<<hours.Date(d).Weekday()) != 0 {
				dates = append(dates, hours.Date(d))
			}
		}
	}
	var out []Shift
	for _, d := range dates {
		if sh := at(d); sh.Start.Unix() < toU && sh.End.Unix() > fromU && sh.Start.Before(sh.End) {
			out = append(out, sh)
		}
	}
	return out, nil
}

// checkFirst reports what is wrong with the span of the first shift of a
// recurring one: missing, outside the years of [hours.CheckInstant], or
// not a span of at most [MaxLength].
func checkFirst(errs *validate.Errors, first Shift) {
	n := len(*errs)
	for _, f := range []struct {
		path string
		t    time.Time
	}{{"start", first.Start}, {"end", first.End}} {
		if !f.t.IsZero() {
			if err := hours.CheckInstant(f.t); err != nil {
				errs.Add(f.path, "shifts: %v: %w", err, ErrInvalid)
			}
		}
	}
	if len(*errs) == n || first.Start.IsZero() || first.End.IsZero() {
		// The span's length is no news when an instant is out of range.
		checkCommon(errs, Normal, "", "", first.Start, first.End) // the span only; Expand copies the type and texts
	}
}

// floorDiv returns a/b rounded down, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// split returns the local date, the wall-clock minute and the leftover
// seconds of instant u in loc.
func split(loc *time.Location, u int64) (hours.Date, hours.Clock, int64) {
	t := time.Unix(u, 0).In(loc)
	y, m, d := t.Date()
	return hours.DateOf(y, m, d), hours.Clock(t.Hour()*60 + t.Minute()), int64(t.Second())
}
