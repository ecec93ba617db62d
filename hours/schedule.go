package hours

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/validate"
)

// WeekdayHours is one weekday's business hours in the contract's shape.
type WeekdayHours struct {
	Weekday   string     `json:"weekday"`
	TimeSlots []TimeSlot `json:"timeSlots"`
}

// BusinessHours is the weekly schedule in the contract's shape. A weekday
// that is not listed is closed.
type BusinessHours struct {
	Weekdays []WeekdayHours `json:"weekdays"`
}

// Exception replaces the weekly hours of one local date: closed when
// TimeSlots is empty, special hours otherwise.
type Exception struct {
	Date      string     `json:"date"`
	TimeSlots []TimeSlot `json:"timeSlots"`
}

// ArrivalWindow is a window customers may book an arrival in, in the
// tenant file's shape. Empty Weekdays means every day that has business
// hours; empty BusinessUnitIDs means every business unit. Active defaults to
// true when absent.
//
// The zero ArrivalWindow is an active window with no id and no bounds:
// invalid until ID, From and To are set. Active stays a *bool (see
// zones.Zone for why): the zero value is active either way.
type ArrivalWindow struct {
	ID              int64    `json:"id"`
	From            string   `json:"from"`
	To              string   `json:"to"`
	Weekdays        []string `json:"weekdays"`
	BusinessUnitIDs []int64  `json:"businessUnitIds"`
	Active          *bool    `json:"active,omitempty"`
}

// IsActive reports whether w is active (true when Active is absent).
func (w ArrivalWindow) IsActive() bool { return w.Active == nil || *w.Active }

// Rules gathers a tenant's wall-clock rules. Its field names match the
// tenant file, so validation paths are the file's paths.
type Rules struct {
	TimeZone       string
	BusinessHours  BusinessHours
	Exceptions     []Exception
	ArrivalWindows []ArrivalWindow
}

// window is a compiled arrival window.
type window struct {
	id       int64
	slot     Slot
	weekdays uint8 // bit i set for time.Weekday(i); 0 means every day
	units    []int64
}

// Schedule is a tenant's compiled, validated rules in one time zone.
// It is immutable and safe for concurrent use.
type Schedule struct {
	loc        *time.Location
	rules      Rules
	weekly     [7][]Slot
	exceptions map[Date][]Slot
	windows    []window // active windows only, by id
}

// ParseWeekday parses an English weekday name, "Sunday" to "Saturday",
// exactly as the contract spells it.
func ParseWeekday(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if d.String() == s {
			return d, nil
		}
	}
	return 0, fmt.Errorf("hours: unknown weekday %q (want Sunday … Saturday)", s)
}

// compileSlots parses a day's slots, sorted, and reports malformed or
// overlapping ones at path.
func compileSlots(errs *validate.Errors, path string, in []TimeSlot) []Slot {
	out := make([]Slot, 0, len(in))
	for i, ts := range in {
		s, err := ParseSlot(ts)
		if err != nil {
			errs.Add(validate.Index(path, i), "%v", err)
			continue
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Slot) int { return int(a.From - b.From) })
	for i := 1; i < len(out); i++ {
		if out[i].From < out[i-1].To {
			errs.Add(path, "hours: slots %s and %s overlap", out[i-1], out[i])
		}
	}
	return out
}

// Compile validates rules and returns the schedule. The error, when not
// nil, is a [validate.Errors] naming every problem with its path:
// "businessHours.weekdays[0].timeSlots[1]: hours: clock \"25:00\": hour out of
// range".
// Every entry is checked whole: the slots of a weekday whose name is wrong
// or listed twice, or of an exception whose date is, are checked too.
func Compile(r Rules) (*Schedule, error) {
	var errs validate.Errors
	s := &Schedule{rules: r.clone(), exceptions: make(map[Date][]Slot)}
	loc, err := LoadLocation(r.TimeZone)
	if err != nil {
		errs.Add("timeZone", "%v", err)
	}
	s.loc = loc

	var seenDay [7]bool
	for i, wd := range r.BusinessHours.Weekdays {
		path := validate.Index("businessHours.weekdays", i)
		// The slots are checked whatever is wrong with the name, so that
		// every problem of the entry is reported at once, the name's first.
		d, err := ParseWeekday(wd.Weekday)
		if err != nil {
			errs.Add(path+".weekday", "%v", err)
		} else if seenDay[d] {
			errs.Add(path+".weekday", "hours: weekday %q listed twice", wd.Weekday)
		}
		slots := compileSlots(&errs, path+".timeSlots", wd.TimeSlots)
		if err == nil && !seenDay[d] {
			seenDay[d] = true
			s.weekly[d] = slots
		}
	}

	for i, ex := range r.Exceptions {
		path := validate.Index("exceptions", i)
		d, err := ParseDate(ex.Date)
		_, dup := s.exceptions[d]
		if err != nil {
			errs.Add(path+".date", "%v", err)
		} else if dup {
			errs.Add(path+".date", "hours: duplicate exception date %s", d)
		}
		slots := compileSlots(&errs, path+".timeSlots", ex.TimeSlots) // checked whatever the date
		if err == nil && !dup {
			s.exceptions[d] = slots
		}
	}

	ids := make(map[int64]int)
	for i, aw := range r.ArrivalWindows {
		path := validate.Index("arrivalWindows", i)
		if aw.ID <= 0 {
			errs.Add(path+".id", "hours: arrival window id %d must be positive", aw.ID)
		} else if j, dup := ids[aw.ID]; dup {
			errs.Add(path+".id", "hours: duplicate arrival window id %d (also arrivalWindows[%d])", aw.ID, j)
		}
		ids[aw.ID] = i
		slot, err := ParseSlot(TimeSlot{aw.From, aw.To})
		if err != nil {
			errs.Add(path, "%v", err)
		}
		w := window{id: aw.ID, slot: slot, units: slices.Sorted(slices.Values(aw.BusinessUnitIDs))}
		for j, name := range aw.Weekdays {
			d, err := ParseWeekday(name)
			if err != nil {
				errs.Add(validate.Index(path+".weekdays", j), "%v", err)
				continue
			}
			w.weekdays |= 1 << d
		}
		if aw.IsActive() {
			s.windows = append(s.windows, w)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	slices.SortFunc(s.windows, func(a, b window) int {
		if c := int(a.slot.From - b.slot.From); c != 0 {
			return c
		}
		if c := int(a.slot.To - b.slot.To); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return s, nil
}

// Location returns the schedule's time zone.
func (s *Schedule) Location() *time.Location { return s.loc }

// Rules returns a copy of the rules the schedule was compiled from: the
// caller may change it, as the schedule keeps its own.
func (s *Schedule) Rules() Rules { return s.rules.clone() }

// clone returns a copy of r that shares no slice or pointer with it.
func (r Rules) clone() Rules {
	r.BusinessHours.Weekdays = slices.Clone(r.BusinessHours.Weekdays)
	for i := range r.BusinessHours.Weekdays {
		w := &r.BusinessHours.Weekdays[i]
		w.TimeSlots = slices.Clone(w.TimeSlots)
	}
	r.Exceptions = slices.Clone(r.Exceptions)
	for i := range r.Exceptions {
		r.Exceptions[i].TimeSlots = slices.Clone(r.Exceptions[i].TimeSlots)
	}
	r.ArrivalWindows = slices.Clone(r.ArrivalWindows)
	for i := range r.ArrivalWindows {
		w := &r.ArrivalWindows[i]
		w.Weekdays = slices.Clone(w.Weekdays)
		w.BusinessUnitIDs = slices.Clone(w.BusinessUnitIDs)
		if w.Active != nil {
			a := *w.Active
			w.Active = &a
		}
	}
	return r
}

// HasWindows reports whether the tenant has any active arrival window. When
// it has none, business-hours slots serve as timeslots.
func (s *Schedule) HasWindows() bool { return len(s.windows) > 0 }

// SlotsOn returns the business-hours slots of local date d, after
// exceptions, in time order. The result must not be modified.
func (s *Schedule) SlotsOn(d Date) []Slot {
	if ex, ok := s.exceptions[d]; ok {
		return ex
	}
	return s.weekly[d.Weekday()]
}

// Open returns the business hours within [from, to) as a set of instants.
func (s *Schedule) Open(from, to int64) interval.Set {
	var b interval.Builder
	if from >= to {
		return interval.Set{}
	}
	last := DateAt(s.loc, to-1)
	for d := DateAt(s.loc, from); d <= last; d++ {
		for _, sl := range s.SlotsOn(d) {
			st, en := sl.Span(s.loc, d)
			b.AddRange(max(st, from), min(en, to))
		}
	}
	return b.Set()
}

// Window is one candidate timeslot of one local date: an arrival window, or
// a business-hours slot when the tenant has no active arrival windows.
type Window struct {
	Date       Date
	Start, End int64 // instants, half-open
	ID         int64 // the arrival window id; 0 for a business-hours slot
	Slot       Slot  // the wall-clock rule it came from
	// BusinessUnitIDs limits the window to these units (sorted); empty
	// means all. The slice is shared and must not be modified.
	BusinessUnitIDs []int64
}

// AppliesTo reports whether w applies to a request for the given business
// units: a window without units applies to all, and with no units
// requested every window applies.
func (w Window) AppliesTo(units []int64) bool {
	if len(w.BusinessUnitIDs) == 0 || len(units) == 0 {
		return true
	}
	for _, u := range units {
		if _, ok := slices.BinarySearch(w.BusinessUnitIDs, u); ok {
			return true
		}
	}
	return false
}

// WindowsOn appends to dst the candidate timeslots of local date d, in
// order of (start, end, id): none when d has no business hours; the active
// arrival windows of d's weekday when the tenant has any; the
// business-hours slots of d otherwise.
//
// Wall-clock order is not always instant order: on a spring-forward date a
// clock in the gap moves forward past clocks just after the gap (London's
// "01:30" becomes 02:30 summer time, after "02:00"), so the date's windows
// are sorted by their instants, not by their clocks.
func (s *Schedule) WindowsOn(dst []Window, d Date) []Window {
	open := s.SlotsOn(d)
	if len(open) == 0 {
		return dst
	}
	n := len(dst)
	if len(s.windows) == 0 {
		for _, sl := range open {
			st, en := sl.Span(s.loc, d)
			dst = append(dst, Window{Date: d, Start: st, End: en, Slot: sl})
		}
	} else {
		wd := uint8(1) << d.Weekday()
		for _, w := range s.windows {
			if w.weekdays != 0 && w.weekdays&wd == 0 {
				continue
			}
			st, en := w.slot.Span(s.loc, d)
			dst = append(dst, Window{Date: d, Start: st, End: en, ID: w.id, Slot: w.slot, BusinessUnitIDs: w.units})
		}
	}
	byInstant := func(a, b Window) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.ID, b.ID))
	}
	if day := dst[n:]; !slices.IsSortedFunc(day, byInstant) {
		slices.SortFunc(day, byInstant)
	}
	return dst
}

// Windows returns the candidate timeslots of every local date that meets
// [from, to), in time order. It does not filter by business unit or by the
// range itself: a window that starts before from is still returned, so
// callers apply their own inclusion rule.
func (s *Schedule) Windows(from, to int64) []Window {
	var out []Window
	if from >= to {
		return nil
	}
	last := DateAt(s.loc, to-1)
	for d := DateAt(s.loc, from); d <= last; d++ {
		out = s.WindowsOn(out, d)
	}
	return out
}
