package edge_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/zones"
)

// TestNoPanic calls every exported function and method of capacity,
// tenant, hours, shifts, zones and interval that may not panic with sharp
// inputs — the zero time, instants in years 1, 9999 and beyond int64
// seconds, odd locations, a monotonic reading, reversed and empty ranges,
// negative and huge ids, durations and minutes, clocks and dates out of
// range, nil and empty lists, invalid UTF-8, long strings, a nil location
// — and fails on any panic, printing where it started. (MustParseClock,
// MustParseDate, interval.FromNormalized, Set.At and capacity.Percentages
// with a nil unit document their panics and are left out.) The engine it
// ran on, which took whatever changes were valid, must then still load
// from its own Data and answer as it does.
func TestNoPanic(t *testing.T) {
	e := newEngine(t, demoData(t))
	loc := e.Location()
	ts := sharpTimes()
	ints := []int64{0, -1, 1, math.MaxInt64, math.MinInt64, 101, 5001, 1 << 40}
	for i, a := range ts {
		for j, b := range ts {
			name := fmt.Sprintf("t%d,t%d", i, j)
			noPanic(t, "Capacity "+name, func() { e.Capacity(capacity.Request{StartsOnOrAfter: a, EndsOnOrBefore: b}) })
			noPanic(t, "Capacity jt "+name, func() {
				e.Capacity(capacity.Request{StartsOnOrAfter: a, EndsOnOrBefore: b, JobTypeID: 101, SkillBasedAvailability: true, Zip: "80202"})
			})
			for _, id := range ints {
				noPanic(t, fmt.Sprintf("Load %d %s", id, name), func() { e.Load(id, a, b) })
				noPanic(t, fmt.Sprintf("Working %d %s", id, name), func() { e.Working(id, a, b) })
				for _, d := range []time.Duration{0, -1, math.MaxInt64, math.MinInt64, time.Hour} {
					noPanic(t, fmt.Sprintf("Arrival %d %s %d", id, name, d), func() { e.Arrival(id, a, b, d) })
				}
			}
			noPanic(t, "Reschedule "+name, func() {
				e.RescheduleAppointment(5001, capacity.Reschedule{Start: a, End: b, ArrivalWindowStart: a, ArrivalWindowEnd: b})
			})
			noPanic(t, "AddAppointment "+name, func() {
				e.AddAppointment(capacity.Appointment{ID: 1 << 50, JobTypeID: 101, BusinessUnitID: 1, Start: a, End: b, ArrivalWindowStart: a, ArrivalWindowEnd: b})
			})
			noPanic(t, "CreateShifts "+name, func() {
				e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Start: a, End: b})
			})
			noPanic(t, "UpdateShift "+name, func() {
				e.UpdateShift(1, shifts.Change{Type: shifts.Normal, Start: a, End: b})
			})
			noPanic(t, "Assignments "+name, func() {
				e.Assignments(capacity.AssignmentQuery{ModifiedOnOrAfter: a})
			})
		}
	}
	for _, id := range ints {
		noPanic(t, fmt.Sprint("misc ", id), func() {
			e.Appointment(id)
			e.Technician(id)
			e.JobType(id)
			e.Assign(id, []int64{id}, nil)
			e.Assign(5001, []int64{id, id}, &capacity.Actor{})
			e.CheckAssignment(id, nil)
			e.Unassign(id, []int64{id}, nil)
			e.CancelAppointment(id)
			e.DeactivateShift(id)
			e.ReactivateShift(id)
			e.DeleteShift(id)
			e.DeactivateTechnician(id)
			e.ReactivateTechnician(id)
			e.RemoveAdjustment(id)
			e.RemoveGroup(id)
			e.RemoveRule(id)
			e.SetGroupPercentages(id, int(id), nil)
			r := int(id)
			e.SetGroupPercentages(1, int(id), &r)
			e.SetUnitPercentages(id, int(id), int(id))
			e.SetUnitPercentages(1, int(id), int(id))
			e.AddTechnician(capacity.Technician{ID: id, BusinessUnitID: id, ZoneIDs: []int64{id}})
			e.UpdateTechnician(capacity.Technician{ID: id, BusinessUnitID: 1, ZoneIDs: []int64{id}})
			e.AddRule(capacity.Rule{ID: id, JobTypeIDs: []int64{id}, BusinessUnitIDs: []int64{id}, MaxPercentage: r})
			e.ChangeRule(capacity.Rule{ID: id, JobTypeIDs: []int64{id}, BusinessUnitIDs: []int64{id}, MaxPercentage: r})
			e.AddGroup(capacity.BusinessUnitGroup{ID: id, BusinessUnitIDs: []int64{id}, IdealBookingPercentage: r, ReservePercentage: &r})
			e.ChangeGroup(capacity.BusinessUnitGroup{ID: id, BusinessUnitIDs: []int64{id}, IdealBookingPercentage: r, ReservePercentage: &r})
			e.AddAdjustment(capacity.Adjustment{ID: id, Date: hours.Date(r), From: hours.Clock(r), To: hours.Clock(r), Minutes: r, BusinessUnitID: id})
			e.ChangeAdjustment(capacity.Adjustment{ID: id, Date: hours.Date(r), From: hours.Clock(r), To: hours.Clock(r), Minutes: r, BusinessUnitGroupID: id})
			e.Capacity(capacity.Request{StartsOnOrAfter: ts[12], EndsOnOrBefore: ts[12].Add(48 * time.Hour), JobTypeID: id, BusinessUnitIDs: []int64{id, id}})
			e.Capacity(capacity.Request{StartsOnOrAfter: ts[12], EndsOnOrBefore: ts[12].Add(48 * time.Hour), JobTypeID: id, SkillBasedAvailability: true})
		})
	}
	for _, clk := range []hours.Clock{-1, 0, 1440, 1441, math.MaxInt32, math.MinInt32} {
		for _, dt := range []hours.Date{0, -1, math.MaxInt32, math.MinInt32, hours.DateOf(2027, 3, 14)} {
			a := capacity.Adjustment{ID: 999, Date: dt, From: clk, To: clk + 60}
			noPanic(t, fmt.Sprint("adj ", clk, dt), func() {
				a.Span(loc)
				a.FindWindow(e.Schedule())
				a.Matches(loc, hours.Window{})
				a.Matches(nil, hours.Window{})
				e.AddAdjustment(a)
				tenant.CheckWindow(e.Schedule(), a)
				tenant.WindowsOn(e.Schedule(), dt)
				tenant.AdjustmentOf(a, loc)
				tenant.AdjustmentOf(a, nil)
				hours.Local(loc, dt, clk)
				hours.DayStart(loc, dt)
				dt.Civil()
				_ = dt.String()
				dt.Weekday()
				dt.MarshalText()
				_ = clk.String()
				e.Schedule().SlotsOn(dt)
				e.Schedule().WindowsOn(nil, dt)
				hours.Slot{From: clk, To: clk}.Span(loc, dt)
				_ = hours.Slot{From: clk, To: clk}.String()
				hours.Slot{From: clk, To: clk}.TimeSlot()
			})
		}
	}
	for _, s := range []string{"", "\xff\xfe", strings.Repeat("9", 1<<12), "80202", "-", " ", "\x00"} {
		noPanic(t, "zip "+s[:min(len(s), 10)], func() {
			e.Capacity(capacity.Request{StartsOnOrAfter: ts[12], EndsOnOrBefore: ts[12].Add(48 * time.Hour), Zip: s})
			e.Zones().LookupZip(s)
			e.Zones().LookupCity(s)
			zones.NormalizeZip(s)
			zones.NormalizeCity(s)
			capacity.ParseRequest([]byte(s))
			capacity.ParseStatus(s)
			hours.ParseClock(s)
			hours.ParseDate(s)
			hours.ParseInstant(s)
			hours.ParseInstantIn(s, loc)
			hours.ParseInstantIn(s, nil)
			hours.ParseBound(s, true)
			hours.ParseBoundIn(s, nil, false)
			hours.LoadLocation(s)
			hours.ZoneWarning(s)
			hours.ParseWeekday(s)
			shifts.ParseType(s)
			shifts.ParseRepeat(shifts.RepeatRule{RepeatType: s, ShiftDays: []string{s}, RepeatEndDate: s, RepeatInterval: -1})
			tenant.Parse([]byte(s))
			tenant.Decode([]byte(s))
			e.AddTechnician(capacity.Technician{ID: 77777, Name: s, BusinessUnitID: 1, Skills: []string{s}})
			e.AddAppointment(capacity.Appointment{ID: 77777, JobTypeID: 101, BusinessUnitID: 1, Start: ts[12], End: ts[12].Add(time.Hour), Zip: s})
			e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{101}, Type: shifts.Normal, Title: s, Note: s, Start: ts[12], End: ts[12].Add(time.Hour)})
			e.Capacity(capacity.Request{StartsOnOrAfter: ts[12], EndsOnOrBefore: ts[12].Add(48 * time.Hour), Zip: s, JobTypeID: 101, SkillBasedAvailability: true})
		})
	}
	{
		var s capacity.Status
		noPanic(t, "s.String()", func() { _ = s.String() })
		noPanic(t, "s.MarshalText()", func() { s.MarshalText() })
		noPanic(t, "capacity.Status(200).String()", func() { _ = capacity.Status(200).String() })
		var ty shifts.Type
		noPanic(t, "ty.String()", func() { _ = ty.String() })
		noPanic(t, "ty.MarshalText()", func() { ty.MarshalText() })
		noPanic(t, "shifts.Type(99).String()", func() { _ = shifts.Type(99).String() })
		var r *capacity.Response
		_ = r
		noPanic(t, "(&capacity.Response{}).MarshalJSON()", func() { (&capacity.Response{}).MarshalJSON() })
		noPanic(t, "(&capacity.Response{}).AppendJSON(nil)", func() { (&capacity.Response{}).AppendJSON(nil) })
		noPanic(t, "capacity.Request{}.MarshalJSON()", func() { capacity.Request{}.MarshalJSON() })
		noPanic(t, "capacity.Request{StartsOnOrAfter: ts[1], EndsOnOrBefore: ts[", func() { capacity.Request{StartsOnOrAfter: ts[1], EndsOnOrBefore: ts[3]}.MarshalJSON() })
		noPanic(t, "capacity.Totals{}.Timeslot(time.Time{}, time.Time{}, nil)", func() { capacity.Totals{}.Timeslot(time.Time{}, time.Time{}, nil) })
		noPanic(t, "capacity.Totals{Capacity: math.MaxInt64, Free: math.MinInt64", func() {
			capacity.Totals{Capacity: math.MaxInt64, Free: math.MinInt64, Adjustment: math.MaxInt64, Reserve: math.MinInt64, Duration: math.MaxInt64}.Timeslot(time.Time{}, time.Time{}, nil)
		})
		noPanic(t, "capacity.Percentages(&capacity.BusinessUnit{}, &capacity.Bus", func() { capacity.Percentages(&capacity.BusinessUnit{}, &capacity.BusinessUnitGroup{}, -5) })
		noPanic(t, "capacity.Reasons{}.Strings()", func() { capacity.Reasons{}.Strings() })
		noPanic(t, "capacity.Warning{}.String()", func() { _ = capacity.Warning{}.String() })
		noPanic(t, "capacity.Appointment{}.Equal(capacity.Appointment{})", func() { capacity.Appointment{}.Equal(capacity.Appointment{}) })
		noPanic(t, "capacity.Assignment{}.Equal(capacity.Assignment{AssignedBy: ", func() { capacity.Assignment{}.Equal(capacity.Assignment{AssignedBy: &capacity.Actor{}}) })
		noPanic(t, "capacity.Technician{}.HasSkills(nil)", func() { capacity.Technician{}.HasSkills(nil) })
		noPanic(t, "tenant.BusinessUnitOf(capacity.BusinessUnit{})", func() { tenant.BusinessUnitOf(capacity.BusinessUnit{}) })
		noPanic(t, "tenant.GroupOf(capacity.BusinessUnitGroup{})", func() { tenant.GroupOf(capacity.BusinessUnitGroup{}) })
		noPanic(t, "tenant.JobTypeOf(capacity.JobType{})", func() { tenant.JobTypeOf(capacity.JobType{}) })
		noPanic(t, "tenant.RuleOf(capacity.Rule{})", func() { tenant.RuleOf(capacity.Rule{}) })
		noPanic(t, "e.Footprint()", func() { e.Footprint() })
		noPanic(t, "e.String()", func() { _ = e.String() })
		var d capacity.Data
		noPanic(t, "d.Validate()", func() { d.Validate() })
		noPanic(t, "capacity.New(capacity.Data{})", func() { capacity.New(capacity.Data{}) })
		noPanic(t, "capacity.New(capacity.Data{Technicians: []capacity.Technicia", func() { capacity.New(capacity.Data{Technicians: []capacity.Technician{{ID: 1, BusinessUnitID: 1}}}) })
		noPanic(t, "tenant.Build(&tenant.File{})", func() { tenant.Build(&tenant.File{}) })
		noPanic(t, "hours.Compile(hours.Rules{})", func() { hours.Compile(hours.Rules{}) })
		noPanic(t, "hours.DateAt(nil, 0)", func() { hours.DateAt(nil, 0) })
		noPanic(t, "hours.DateAt(loc, math.MaxInt64)", func() { hours.DateAt(loc, math.MaxInt64) })
		noPanic(t, "hours.DateAt(loc, math.MinInt64)", func() { hours.DateAt(loc, math.MinInt64) })
		noPanic(t, "hours.DateOf(math.MaxInt32, 13, 40)", func() { hours.DateOf(math.MaxInt32, 13, 40) })
		noPanic(t, "hours.CheckInstant(time.Time{})", func() { hours.CheckInstant(time.Time{}) })
		noPanic(t, "shifts.NewStore(nil, nil)", func() { shifts.NewStore(nil, nil) })
		noPanic(t, "shifts.NewStore(nil, nil, shifts.Shift{})", func() { shifts.NewStore(nil, nil, shifts.Shift{}) })
		noPanic(t, "shifts.Unix(time.Time{})", func() { shifts.Unix(time.Time{}) })
		noPanic(t, "shifts.TimeIn(math.MaxInt64, nil)", func() { shifts.TimeIn(math.MaxInt64, nil) })
		noPanic(t, "shifts.TimeIn(math.MinInt64+1, loc)", func() { shifts.TimeIn(math.MinInt64+1, loc) })
		noPanic(t, "shifts.Shift{}.Validate()", func() { shifts.Shift{}.Validate() })
		noPanic(t, "shifts.Shift{}.Span()", func() { shifts.Shift{}.Span() })
		noPanic(t, "shifts.Change{}.Validate()", func() { shifts.Change{}.Validate() })
		noPanic(t, "shifts.CreateRequest{}.Validate()", func() { shifts.CreateRequest{}.Validate() })
		noPanic(t, "shifts.Repeat{Type: 99, Interval: math.MinInt, Days: []time.", func() {
			shifts.Repeat{Type: 99, Interval: math.MinInt, Days: []time.Weekday{-1, 99}, EndDate: math.MaxInt32}.Validate()
		})
		noPanic(t, "zones.New(nil)", func() { zones.New(nil) })
		noPanic(t, "zones.New([]zones.Zone{{}})", func() { zones.New([]zones.Zone{{}}) })
		var zd *zones.Directory
		_ = zd
		noPanic(t, "interval.From(math.MinInt64, math.MaxInt64).Measure()", func() { interval.From(math.MinInt64, math.MaxInt64).Measure() })
		noPanic(t, "interval.New(interval.Span{Start: math.MinInt64, End: math.M", func() {
			interval.New(interval.Span{Start: math.MinInt64, End: math.MaxInt64}).MeasureIn(math.MinInt64, math.MaxInt64)
		})
		noPanic(t, "interval.New(interval.Span{Start: math.MinInt64, End: math.M", func() {
			interval.New(interval.Span{Start: math.MinInt64, End: math.MaxInt64}).LongestRun(math.MinInt64, math.MaxInt64)
		})
		noPanic(t, "interval.New(interval.Span{Start: 0, End: 10}).EarliestFit(m", func() {
			interval.New(interval.Span{Start: 0, End: 10}).EarliestFit(math.MinInt64, math.MaxInt64, math.MaxInt64)
		})
		noPanic(t, "interval.Universe.Len()", func() { interval.Universe.Len() })
		noPanic(t, "interval.Set{}.Complement(interval.Universe)", func() { interval.Set{}.Complement(interval.Universe) })
		noPanic(t, "interval.Set{}.Bounds()", func() { interval.Set{}.Bounds() })
		noPanic(t, "interval.Set{}.Clip(10, 0)", func() { interval.Set{}.Clip(10, 0) })
	}
	if err := func() error { d := e.Data(); return d.Validate() }(); err != nil {
		t.Fatalf("after the sweep the engine's Data is invalid: %v", err)
	}
	sameAnswers(t, "after the sweep, New(Data())", answersOf(t, e, probes(t)), answersOf(t, newEngine(t, e.Data()), probes(t)))
}
