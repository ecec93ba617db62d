package shifts_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// TestRepeatZeroValues: the zero Repeat gives the first shift alone, and
// an Interval of 0 — a Repeat built by hand without one — means 1, as an
// absent repeatInterval does for ParseRepeat. (A Weekly one used to
// divide by zero, a Daily one to loop until memory ran out.)
func TestRepeatZeroValues(t *testing.T) {
	loc, _ := hours.LoadLocation("America/Denver")
	mon := hours.MustParseDate("2027-03-08")
	first := shifts.Shift{TechnicianID: 1, Type: shifts.Normal, Start: u(hours.Local(loc, mon, 8*60)), End: u(hours.Local(loc, mon, 17*60))}
	from, to := u(hours.DayStart(loc, mon-7)), u(hours.DayStart(loc, mon+30))

	got, err := shifts.Expand(loc, first, shifts.Repeat{}, from, to)
	if err != nil || len(got) != 1 || !got[0].Start.Equal(first.Start) || !got[0].End.Equal(first.End) {
		t.Errorf("zero Repeat: got %v, %v; want the first shift alone", got, err)
	}
	if err := (shifts.Repeat{}).Validate(); err != nil {
		t.Errorf("zero Repeat: Validate = %v", err)
	}
	end := hours.MustParseDate("2027-03-19")
	for _, typ := range []shifts.RepeatType{shifts.Daily, shifts.Weekly} {
		days := []time.Weekday{time.Monday, time.Thursday}
		zero, err0 := shifts.Expand(loc, first, shifts.Repeat{Type: typ, Days: days, EndDate: end}, from, to)
		one, err1 := shifts.Expand(loc, first, shifts.Repeat{Type: typ, Interval: 1, Days: days, EndDate: end}, from, to)
		want := map[shifts.RepeatType]int{shifts.Daily: 12, shifts.Weekly: 4}[typ]
		if err0 != nil || err1 != nil || len(one) != want || !slices.EqualFunc(zero, one, shifts.Shift.Equal) {
			t.Errorf("%v, Interval 0: %d shifts (%v), Interval 1: %d (%v); want the same %d", typ, len(zero), err0, len(one), err1, want)
		}
	}
	// nil location is UTC, as for TimeIn.
	utc := shifts.Shift{Start: time.Date(2027, 3, 8, 8, 0, 0, 0, time.UTC), End: time.Date(2027, 3, 8, 17, 0, 0, 0, time.UTC)}
	got, err = shifts.Expand(nil, utc, shifts.Repeat{Type: shifts.Daily, EndDate: hours.MustParseDate("2027-03-09")}, from, to)
	if err != nil || len(got) != 2 || got[1].Start.Location() != time.UTC || got[1].Start.Hour() != 8 {
		t.Errorf("nil location: %v, %v; want two shifts at 08:00 UTC", got, err)
	}
}

// TestExpandErrors: a Repeat or a first shift that cannot be expanded is
// an error naming every problem with its path, wrapping ErrInvalid —
// never a panic, an endless loop, or nothing said.
func TestExpandErrors(t *testing.T) {
	loc, _ := hours.LoadLocation("America/Denver")
	mon := hours.MustParseDate("2027-03-08")
	first := shifts.Shift{TechnicianID: 1, Type: shifts.Normal, Start: u(hours.Local(loc, mon, 8*60)), End: u(hours.Local(loc, mon, 17*60))}
	end := hours.MustParseDate("2027-03-19")
	tests := []struct {
		name  string
		first shifts.Shift
		r     shifts.Repeat
		want  []string
	}{
		{"zero end date, daily", first, shifts.Repeat{Type: shifts.Daily, Interval: 1}, []string{
			"repeatEndDate: shifts: repeat end date is missing: Daily needs one, so that expansion is finite (the zero hours.Date, 1970-01-01, is taken as missing)"}},
		{"zero end date, weekly", first, shifts.Repeat{Type: shifts.Weekly}, []string{
			"repeatEndDate: shifts: repeat end date is missing: Weekly needs one, so that expansion is finite (the zero hours.Date, 1970-01-01, is taken as missing)"}},
		{"end before the first shift", first, shifts.Repeat{Type: shifts.Daily, EndDate: mon - 1}, []string{
			"repeatEndDate: shifts: repeat end date 2027-03-07 is before the first shift's date 2027-03-08"}},
		{"end beyond 2199", first, shifts.Repeat{Type: shifts.Weekly, EndDate: math.MaxInt32}, []string{
			"repeatEndDate: shifts: repeat end date 5881580-07-11 is outside the years 1900–2199"}},
		{"negative interval, bad weekdays, unknown type", first, shifts.Repeat{Type: 7, Interval: -2, Days: []time.Weekday{time.Monday, -1, 7}, EndDate: end}, []string{
			"repeatType: shifts: unknown repeat type 7 (want Never, Daily or Weekly)",
			"repeatInterval: shifts: repeat interval -2 must be positive",
			"shiftDays[1]: shifts: weekday -1 is outside Sunday (0) … Saturday (6)",
			"shiftDays[2]: shifts: weekday 7 is outside Sunday (0) … Saturday (6)"}},
		{"empty first shift", shifts.Shift{Start: first.Start, End: first.Start}, shifts.Repeat{Type: shifts.Daily, EndDate: end}, []string{
			"end: shifts: end 2027-03-08T15:00:00Z is not after start 2027-03-08T15:00:00Z"}},
		{"zero first shift and repeat", shifts.Shift{}, shifts.Repeat{Type: shifts.Daily}, []string{
			"start: shifts: start is missing",
			"end: shifts: end is missing",
			"repeatEndDate: shifts: repeat end date is missing: Daily needs one, so that expansion is finite (the zero hours.Date, 1970-01-01, is taken as missing)"}},
		{"first shift in year 1", shifts.Shift{Start: time.Date(1, 1, 1, 8, 0, 0, 0, time.UTC), End: first.End}, shifts.Repeat{Type: shifts.Daily, EndDate: end}, []string{
			"start: shifts: hours: date-time 0001-01-01T08:00:00Z is outside the supported years 1900–2199"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := shifts.Expand(loc, tt.first, tt.r, u(0), u(1<<40))
			var errs validate.Errors
			if got != nil || !errors.As(err, &errs) || !errors.Is(err, shifts.ErrInvalid) {
				t.Fatalf("Expand = %v, %v; want no shifts and validate.Errors wrapping ErrInvalid", got, err)
			}
			if msgs := strings.Split(err.Error(), "\n"); !slices.Equal(msgs, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", msgs, tt.want)
			}
		})
	}
}

// TestExpandProperty: over random repeat rules — every field zero,
// negative, huge or ordinary, weekdays out of range — random first shifts
// (empty, overnight, across DST changes, outside the supported years) and
// random ranges in zones with odd transitions, Expand never panics,
// returns an error exactly when the reference says the input is invalid,
// and otherwise returns exactly the reference's occurrences: the slow,
// obvious walk over every date from the first shift's to the end date.
// So its skipping of dates outside [from, to) loses nothing, and its
// result is bounded by one occurrence per date of 1900–2199.
func TestExpandProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 2000))
	props.Property("Expand equals the reference walk, or errs exactly when the input is invalid", prop.ForAll(func(seed uint64) string {
		c := randomExpandCase(rand.New(rand.NewPCG(seed, 14)))
		return checkExpand(c)
	}, gen.UInt64()))
	proptest.Run(t, props)
}

// FuzzExpand drives Expand with arbitrary rules, first shifts and ranges
// (`go test -fuzz FuzzExpand ./shifts/`); the seeds are the newcomer's
// cases (Interval 0, Daily and Weekly; a zero end date) and extremes.
func FuzzExpand(f *testing.F) {
	den := expandZones[0].String()
	mar8 := time.Date(2027, 3, 8, 15, 0, 0, 0, time.UTC).Unix()
	f.Add(den, uint8(shifts.Daily), int64(0), []byte{}, int32(hours.MustParseDate("2027-03-12")), mar8, int64(9*3600), mar8, mar8+7*86400)
	f.Add(den, uint8(shifts.Weekly), int64(0), []byte{1, 2}, int32(hours.MustParseDate("2027-03-15")), mar8, int64(9*3600), mar8, mar8+8*86400)
	f.Add(den, uint8(shifts.Weekly), int64(1), []byte{1}, int32(0), mar8, int64(9*3600), mar8, mar8+22*86400)
	f.Add("Pacific/Apia", uint8(shifts.Daily), int64(math.MaxInt64), []byte{255}, int32(math.MaxInt32), int64(math.MinInt64), int64(-1), int64(math.MinInt64), int64(math.MaxInt64))
	f.Add("UTC", uint8(9), int64(math.MinInt64), []byte{7, 200}, int32(math.MinInt32), int64(0), int64(0), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, zone string, typ uint8, interval int64, days []byte, endDate int32, start, length, from, to int64) {
		loc, err := time.LoadLocation(zone)
		if err != nil || len(days) > 16 {
			t.Skip()
		}
		c := expandCase{loc: loc, r: shifts.Repeat{Type: shifts.RepeatType(typ), Interval: int(interval), EndDate: hours.Date(endDate)},
			from: time.Unix(from, 0), to: time.Unix(to, 0)}
		for _, d := range days {
			c.r.Days = append(c.r.Days, time.Weekday(int8(d)))
		}
		if start != 0 {
			c.first.Start = time.Unix(start, 0)
		}
		if end := start + length; length != 0 && (length > 0) == (end > start) { // no overflow
			c.first.End = time.Unix(end, 0)
		}
		if msg := checkExpand(c); msg != "" {
			t.Fatal(msg)
		}
	})
}

// expandZones are zones with odd transitions: DST in the middle of the
// night, half-hour DST (Lord Howe), transitions at midnight (Santiago),
// a skipped day (Apia, 2011-12-30), and UTC.
var expandZones = func() []*time.Location {
	var out []*time.Location
	for _, name := range []string{"America/Denver", "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia", "Europe/Berlin", "UTC"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		out = append(out, loc)
	}
	return out
}()

type expandCase struct {
	loc      *time.Location
	first    shifts.Shift
	r        shifts.Repeat
	from, to time.Time
}

func (c expandCase) String() string {
	return fmt.Sprintf("Expand(%v, [%v, %v), %+v, %v, %v)", c.loc, c.first.Start, c.first.End, c.r, c.from, c.to)
}

// randomExpandCase draws a case: mostly ordinary values near 2027, now
// and then zero, negative, huge or out of range ones.
func randomExpandCase(r *rand.Rand) expandCase {
	pick := func(odds int) bool { return r.IntN(odds) == 0 }
	c := expandCase{loc: expandZones[r.IntN(len(expandZones))]}
	if pick(10) {
		c.loc = nil
	}
	// The first shift: a date around 2011–2030 (Apia's skipped day
	// included), a start clock, a length up to a day and a half;
	// sometimes empty, long, missing or outside 1900–2199.
	base := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	start := base + r.Int64N(20*365*86400)
	if pick(4) {
		start = time.Date(2011, 12, 25, 0, 0, 0, 0, time.UTC).Unix() + r.Int64N(14*86400)
	}
	start -= start % 900
	length := int64(900 * r.IntN(150))
	switch {
	case pick(30):
		length = -3600
	case pick(30):
		length = 9 * 86400
	}
	c.first = shifts.Shift{TechnicianID: 1, Type: shifts.Normal, Start: time.Unix(start, 0), End: time.Unix(start+length, 0)}
	switch {
	case pick(40):
		c.first.Start = time.Time{}
	case pick(40):
		c.first.End = time.Time{}
	case pick(40):
		c.first.Start = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	case pick(40):
		c.first.End = time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	// The rule.
	c.r.Type = shifts.RepeatType(r.IntN(3))
	if pick(20) {
		c.r.Type = shifts.RepeatType(3 + r.IntN(250))
	}
	c.r.Interval = r.IntN(4)
	switch {
	case pick(10):
		c.r.Interval = -r.IntN(3)
	case pick(20):
		c.r.Interval = []int{math.MaxInt, math.MinInt, math.MaxInt / 2, 400}[r.IntN(4)]
	}
	for range r.IntN(4) {
		wd := time.Weekday(r.IntN(7))
		if pick(20) {
			wd = []time.Weekday{-1, 7, 100, math.MinInt}[r.IntN(4)]
		}
		c.r.Days = append(c.r.Days, wd)
	}
	firstDate := hours.Date(floorDiv(start, 86400))
	c.r.EndDate = firstDate + hours.Date(r.IntN(400)-5)
	switch {
	case pick(10):
		c.r.EndDate = 0
	case pick(30):
		c.r.EndDate = firstDate + hours.Date(r.IntN(60000)) // up to 2190-ish: a long walk for the reference
	case pick(30):
		c.r.EndDate = []hours.Date{math.MaxInt32, math.MinInt32, hours.MustParseDate("2199-12-31"), hours.MustParseDate("1899-12-31")}[r.IntN(4)]
	}
	// The range: around the rule's dates, sometimes everything.
	c.from = time.Unix(start+r.Int64N(200*86400)-100*86400, 0)
	c.to = c.from.Add(time.Duration(r.Int64N(60*86400)) * time.Second)
	switch {
	case pick(10):
		c.from, c.to = time.Unix(math.MinInt64, 0), time.Unix(math.MaxInt64, 0)
	case pick(10):
		c.from, c.to = time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	case pick(20):
		c.from, c.to = c.to, c.from // empty
	}
	return c
}

// checkExpand runs Expand on c, recovering a panic, and compares it with
// the reference; it returns what is wrong, or "".
func checkExpand(c expandCase) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprintf("%v: panic: %v", c, p)
		}
	}()
	got, err := shifts.Expand(c.loc, c.first, c.r, c.from, c.to)
	want, valid := expandReference(c)
	if !valid {
		if err == nil || !errors.Is(err, shifts.ErrInvalid) {
			return fmt.Sprintf("%v: got %d shifts, %v; want an error wrapping ErrInvalid", c, len(got), err)
		}
		return ""
	}
	if err != nil {
		return fmt.Sprintf("%v: unexpected error %v", c, err)
	}
	if !slices.EqualFunc(got, want, shifts.Shift.Equal) {
		return fmt.Sprintf("%v: got %d shifts, the reference %d\n got %v\nwant %v", c, len(got), len(want), got, want)
	}
	loc := c.loc
	if loc == nil {
		loc = time.UTC
	}
	for i, sh := range got {
		if sh.ID != 0 || sh.Start.Location() != loc || !sh.Start.Before(sh.End) || sh.Start.Unix() >= c.to.Unix() || sh.End.Unix() <= c.from.Unix() ||
			(i > 0 && sh.Start.Before(got[i-1].Start)) {
			return fmt.Sprintf("%v: shift %d %+v is out of order, empty, outside the range, in another location or has an id", c, i, sh)
		}
	}
	return ""
}

// expandReference is the slow, obvious Expand: it says whether c is valid
// by the documented rules, and walks every date from the first shift's to
// the end date, keeping the occurrences that meet [from, to).
func expandReference(c expandCase) ([]shifts.Shift, bool) {
	loc := c.loc
	if loc == nil {
		loc = time.UTC
	}
	f, r := c.first, c.r
	inYears := func(t time.Time) bool { return hours.CheckInstant(t) == nil }
	if f.Start.IsZero() || f.End.IsZero() || !inYears(f.Start) || !inYears(f.End) || f.End.Unix() <= f.Start.Unix() ||
		f.End.Unix()-f.Start.Unix() > shifts.MaxLength {
		return nil, false
	}
	if r.Type > shifts.Weekly || r.Interval < 0 || slices.ContainsFunc(r.Days, func(d time.Weekday) bool { return d < 0 || d > 6 }) {
		return nil, false
	}
	local := func(t time.Time) (hours.Date, hours.Clock, int64) {
		t = t.In(loc)
		return hours.DateOf(t.Date()), hours.Clock(t.Hour()*60 + t.Minute()), int64(t.Second())
	}
	startDate, startClock, startSec := local(f.Start)
	endDate, endClock, endSec := local(f.End)
	if r.Type != shifts.Never && (r.EndDate == 0 || r.EndDate < startDate || r.EndDate < hours.MustParseDate("1900-01-01") || r.EndDate > hours.MustParseDate("2199-12-31")) {
		return nil, false
	}
	step := max(r.Interval, 1)
	var dates []hours.Date
	switch r.Type {
	case shifts.Never:
		dates = []hours.Date{startDate}
	case shifts.Daily:
		for off := 0; off <= int(r.EndDate-startDate); off += step {
			dates = append(dates, startDate+hours.Date(off))
			if step > int(r.EndDate-startDate)-off {
				break
			}
		}
	case shifts.Weekly:
		on := map[time.Weekday]bool{}
		for _, d := range r.Days {
			on[d] = true
		}
		if len(on) == 0 {
			on[startDate.Weekday()] = true
		}
		sunday := startDate - hours.Date(startDate.Weekday())
		for d := startDate; d <= r.EndDate; d++ {
			if (int(d-sunday)/7)%step == 0 && on[d.Weekday()] {
				dates = append(dates, d)
			}
		}
	}
	var out []shifts.Shift
	for _, d := range dates {
		sh := f
		sh.ID = 0
		sh.Start = time.Unix(hours.Local(loc, d, startClock)+startSec, 0).In(loc)
		sh.End = time.Unix(hours.Local(loc, d+(endDate-startDate), endClock)+endSec, 0).In(loc)
		if sh.Start.Before(sh.End) && sh.Start.Unix() < c.to.Unix() && sh.End.Unix() > c.from.Unix() {
			out = append(out, sh)
		}
	}
	return out, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
