package tenant

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/validate"
)

// The capacity controls of DESIGN §4a in the file: business-unit groups,
// capacity rules and adjustments. Their values and references are checked
// by capacity.Data.Validate (through capacity.New); this file converts
// their text (dates, clocks, instants) with paths, and warns of
// adjustments that match no window.

// controls converts f's groups, rules and adjustments into d.
func (b *builder) controls(f *File, d *capacity.Data, actorOf func(*capacity.Actor) *capacity.Actor) {
	for _, g := range f.BusinessUnitGroups {
		d.BusinessUnitGroups = append(d.BusinessUnitGroups, GroupOf(g))
	}
	for _, r := range f.CapacityRules {
		d.CapacityRules = append(d.CapacityRules, RuleOf(r))
	}
	for i, a := range f.CapacityAdjustments {
		path := validate.Index("capacityAdjustments", i)
		ca := capacity.Adjustment{ID: a.ID, BusinessUnitID: a.BusinessUnitID, BusinessUnitGroupID: a.BusinessUnitGroupID,
			Minutes: a.Minutes, Reason: a.Reason, CreatedBy: actorOf(a.CreatedBy), CreatedOn: b.optTime(at{"capacityAdjustments", i, ".createdOn"}, a.CreatedOn)}
		ca.Date = b.date(path+".date", a.Date)
		ca.From = b.clock(path+".from", a.From)
		ca.To = b.clock(path+".to", a.To)
		if ca.From == badClock || ca.To == badClock {
			// Checked no further: capacity would only say the window is
			// empty.
			ca.From, ca.To = 0, hours.EndOfDay
		}
		d.CapacityAdjustments = append(d.CapacityAdjustments, ca)
	}
}

// badClock marks a clock that did not parse.
const badClock = hours.Clock(-1)

// date parses a required local date "YYYY-MM-DD"; the supported years are
// checked by capacity.
func (b *builder) date(path, s string) hours.Date {
	d, err := hours.ParseDate(s)
	if err != nil {
		b.add(path, "%v", err)
		return hours.DateOf(2000, 1, 1) // in range: no second message
	}
	return d
}

// clock parses a required wall-clock time "HH:MM".
func (b *builder) clock(path, s string) hours.Clock {
	c, err := hours.ParseClock(s)
	if err != nil {
		b.add(path, "%v", err)
		return badClock
	}
	return c
}

// strayAdjustments warns of each adjustment of d that matches no timeslot
// of its date: it loads, and applies nowhere (DESIGN §4a item 10).
func (b *builder) strayAdjustments(d capacity.Data) {
	if d.Schedule == nil {
		return
	}
	for i, a := range d.CapacityAdjustments {
		if msg := noWindow(d.Schedule, a); msg != "" {
			b.warn(validate.Index("capacityAdjustments", i), "tenant: adjustment %d applies nowhere: %s", a.ID, msg)
		}
	}
}

// CheckWindow returns nil when adjustment a matches a timeslot of its
// date in s (see [capacity.Adjustment.FindWindow]), and otherwise an error
// wrapping [capacity.ErrInvalid] that names the date's windows, so that
// whoever wrote a can pick the right one:
//
//	tenant: no window 09:00–11:00 on 2027-03-09 (Tuesday); its windows are 08:00–10:00, 10:00–12:00, 12:00–14:00 and 14:00–16:00
//
// Loading warns with it; the command line and the HTTP API refuse the
// adjustment with it.
func CheckWindow(s *hours.Schedule, a capacity.Adjustment) error {
	if msg := noWindow(s, a); msg != "" {
		return fmt.Errorf("tenant: %s: %w", msg, capacity.ErrInvalid)
	}
	return nil
}

// noWindow is the message of [CheckWindow] without its prefix, or "" when
// a matches a window.
func noWindow(s *hours.Schedule, a capacity.Adjustment) string {
	if _, ok := a.FindWindow(s); ok {
		return ""
	}
	return fmt.Sprintf("no window %s–%s on %s (%s); %s", a.From, a.To, a.Date, a.Date.Weekday(), WindowsOn(s, a.Date))
}

// WindowsOn describes the candidate timeslots of local date d in s for a
// reader: "its windows are 08:00–10:00 and 10:00–12:00", "its only window
// is 08:00–12:00", or "it has no windows (no business hours)". A window
// appears once, however many arrival windows share its bounds.
func WindowsOn(s *hours.Schedule, d hours.Date) string {
	var names []string
	for _, w := range s.WindowsOn(nil, d) {
		n := w.Slot.From.String() + "–" + w.Slot.To.String()
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	switch len(names) {
	case 0:
		return "it has no windows (no business hours)"
	case 1:
		return "its only window is " + names[0]
	}
	return "its windows are " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// BusinessUnitOf returns a copy of u as the file writes it.
func BusinessUnitOf(u capacity.BusinessUnit) capacity.BusinessUnit { return u }

// JobTypeOf returns a copy of j as the file writes it: its lists non-nil
// (written [] rather than null), nothing shared with j.
func JobTypeOf(j capacity.JobType) capacity.JobType {
	j.Skills, j.BusinessUnitIDs = nonNil(j.Skills), nonNil(j.BusinessUnitIDs)
	if j.TravelBufferMinutes != nil {
		m := *j.TravelBufferMinutes
		j.TravelBufferMinutes = &m
	}
	return j
}

// GroupOf returns a copy of g as the file writes it: its list non-nil,
// nothing shared with g.
func GroupOf(g capacity.BusinessUnitGroup) capacity.BusinessUnitGroup {
	g.BusinessUnitIDs = nonNil(g.BusinessUnitIDs)
	if g.ReservePercentage != nil {
		p := *g.ReservePercentage
		g.ReservePercentage = &p
	}
	return g
}

// RuleOf returns a copy of r as the file writes it: its lists non-nil,
// nothing shared with r.
func RuleOf(r capacity.Rule) capacity.Rule {
	r.JobTypeIDs, r.BusinessUnitIDs = nonNil(r.JobTypeIDs), nonNil(r.BusinessUnitIDs)
	return r
}

// AdjustmentOf returns a capacity adjustment in the file's form, its
// createdOn in RFC 3339 in loc's offset (UTC when loc is nil).
func AdjustmentOf(a capacity.Adjustment, loc *time.Location) Adjustment {
	out := Adjustment{ID: a.ID, Date: a.Date.String(), From: a.From.String(), To: a.To.String(), BusinessUnitID: a.BusinessUnitID,
		BusinessUnitGroupID: a.BusinessUnitGroupID, Minutes: a.Minutes, Reason: a.Reason}
	if a.CreatedBy != nil {
		by := *a.CreatedBy
		out.CreatedBy = &by
	}
	if !a.CreatedOn.IsZero() {
		if loc == nil {
			loc = time.UTC // as package hours reads a nil location
		}
		out.CreatedOn = a.CreatedOn.In(loc).Format(time.RFC3339)
	}
	return out
}

// byID orders records by id, for the canonical form.
func byID[T any](list []T, id func(T) int64) {
	slices.SortStableFunc(list, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
}
