// Package tenantgen generates small random tenants for differential and
// metamorphic tests of the capacity engine: DST dates in three zones,
// overnight and touching shifts, time off, multi-technician and unassigned
// appointments, exceptions, and arrival windows limited by weekday and
// business unit; and, on most tenants, the capacity controls of DESIGN
// §4a: business-unit groups spanning units with different windows, ideal
// and reserve percentages on units and groups (a group's reserve of 0
// included), priority job types, travel buffers (a job type's 0 included),
// adjustments on the horizon's windows (negative ones below zero capacity,
// some on DST dates, some matching no window) and capacity rules. Every
// instant is a whole minute, as the minute-bitmap reference requires.
package tenantgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/zones"
)

// transitions are DST change dates: the generated horizon covers one.
var transitions = []struct{ zone, date string }{
	{"America/Denver", "2026-03-08"},
	{"America/Denver", "2026-11-01"},
	{"Europe/Amsterdam", "2026-03-29"},
	{"Europe/Amsterdam", "2026-10-25"},
	{"Australia/Lord_Howe", "2026-04-05"},
	{"Australia/Lord_Howe", "2026-10-04"},
	{"UTC", "2026-06-01"},
}

// Tenant is a generated tenant and the range of dates its records cover.
type Tenant struct {
	Data      capacity.Data
	First     hours.Date // first local date of the horizon
	Days      int
	Loc       *time.Location
	Zips      []string
	nextShift int64
	controls  bool
}

var skills = []string{"HVAC", "Plumbing", "Electrical"}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func subset[T any](r *rand.Rand, xs []T, p float64) []T {
	var out []T
	for _, x := range xs {
		if r.Float64() < p {
			out = append(out, x)
		}
	}
	return out
}

func clock(m int) string { return hours.Clock(m).String() }

// randomSlots returns 0–2 non-overlapping slots, sometimes the whole day,
// sometimes starting inside a typical DST gap (02:00–03:00).
func randomSlots(r *rand.Rand) []hours.TimeSlot {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return []hours.TimeSlot{{From: "00:00", To: "24:00"}}
	case 2:
		return []hours.TimeSlot{{From: "02:30", To: clock(5*60 + 30*r.IntN(20))}}
	case 3:
		a := 6*60 + 30*r.IntN(6)
		b := a + 60*(1+r.IntN(4))
		c := b + 30*r.IntN(3) // may touch
		return []hours.TimeSlot{{From: clock(a), To: clock(b)}, {From: clock(c), To: clock(min(c+60*(2+r.IntN(6)), 24*60))}}
	}
	a := 30 * r.IntN(24)
	return []hours.TimeSlot{{From: clock(a), To: clock(min(a+60*(4+r.IntN(12)), 24*60))}}
}

// New generates a tenant from r; three in four have capacity controls,
// each control with probability about 2/3.
func New(r *rand.Rand) *Tenant { return generate(r, false) }

// NewControlled generates a tenant from r that uses every capacity
// control: reserves, groups, travel buffers, priority job types,
// adjustments and rules.
func NewControlled(r *rand.Rand) *Tenant { return generate(r, true) }

func generate(r *rand.Rand, every bool) *Tenant {
	tr := pick(r, transitions)
	loc, err := hours.LoadLocation(tr.zone)
	if err != nil {
		panic(err)
	}
	g := &Tenant{Loc: loc, Days: 4 + r.IntN(4)}
	g.First = hours.MustParseDate(tr.date) - hours.Date(r.IntN(4))
	d := &g.Data

	rules := hours.Rules{TimeZone: tr.zone}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if slots := randomSlots(r); slots != nil || r.IntN(2) == 0 {
			rules.BusinessHours.Weekdays = append(rules.BusinessHours.Weekdays, hours.WeekdayHours{Weekday: wd.String(), TimeSlots: slots})
		}
	}
	for i := range r.IntN(3) {
		date := g.First + hours.Date(r.IntN(g.Days))
		if slices.ContainsFunc(rules.Exceptions, func(e hours.Exception) bool { return e.Date == date.String() }) {
			continue
		}
		var slots []hours.TimeSlot
		if i%2 == 1 || r.IntN(2) == 0 {
			slots = randomSlots(r)
		}
		rules.Exceptions = append(rules.Exceptions, hours.Exception{Date: date.String(), TimeSlots: slots})
	}

	nUnits := 1 + r.IntN(4)
	var unitIDs []int64
	for i := range nUnits {
		u := capacity.BusinessUnit{ID: int64(i + 1), Name: fmt.Sprint("Unit ", i+1)}
		if r.IntN(2) == 0 {
			u.IdealBookingPercentage = 50 + r.IntN(120)
		}
		d.BusinessUnits = append(d.BusinessUnits, u)
		unitIDs = append(unitIDs, u.ID)
	}
	if r.IntN(2) == 0 {
		d.IdealBookingPercentage = 60 + r.IntN(60)
	}

	if r.IntN(4) != 0 {
		f := false
		for i := range 1 + r.IntN(4) {
			from := 30 * r.IntN(44)
			to := min(from+30*(1+r.IntN(8)), 24*60)
			w := hours.ArrivalWindow{ID: int64(10 + i), From: clock(from), To: clock(to)}
			if r.IntN(3) == 0 {
				for _, wd := range subset(r, []time.Weekday{0, 1, 2, 3, 4, 5, 6}, 0.5) {
					w.Weekdays = append(w.Weekdays, wd.String())
				}
			}
			if r.IntN(3) == 0 {
				w.BusinessUnitIDs = subset(r, unitIDs, 0.5)
			}
			if r.IntN(6) == 0 {
				w.Active = &f
			}
			rules.ArrivalWindows = append(rules.ArrivalWindows, w)
		}
	}
	sched, err := hours.Compile(rules)
	if err != nil {
		panic(fmt.Sprintf("tenantgen: generated bad rules: %v", err))
	}
	d.Schedule = sched

	for i := range 1 + r.IntN(3) {
		d.JobTypes = append(d.JobTypes, capacity.JobType{ID: int64(100 + i), Name: fmt.Sprint("Job ", i),
			DurationMinutes: 30 * (1 + r.IntN(8)), Skills: subset(r, skills, 0.4)})
	}
	g.controls = every || r.IntN(4) != 0

	g.Zips = []string{"80202", "80203", "80010", "80111"}
	if r.IntN(2) == 0 {
		zs := []zones.Zone{{ID: 1, Name: "North", Zips: g.Zips[:2]}, {ID: 2, Name: "South", Zips: g.Zips[2:3]}}
		d.Zones, _ = zones.New(zs)
	}

	nTech := 1 + r.IntN(6)
	for i := range nTech {
		t := capacity.Technician{ID: int64(200 + i*3), Name: fmt.Sprint("Tech ", i), BusinessUnitID: pick(r, unitIDs),
			Skills: subset(r, skills, 0.6), Inactive: r.IntN(8) == 0}
		if d.Zones != nil && r.IntN(2) == 0 {
			t.ZoneIDs = []int64{int64(1 + r.IntN(2))}
		}
		d.Technicians = append(d.Technicians, t)
	}

	// Shifts: per technician and day, instants on a 15-minute grid from the
	// horizon's first midnight, so they drift across DST changes; a third
	// end a few minutes off the grid.
	base := hours.DayStart(loc, g.First)
	q := int64(15 * 60)
	for _, t := range d.Technicians {
		var prevEnd int64
		for day := range g.Days {
			if r.IntN(5) == 0 {
				continue
			}
			start := base + int64(day)*86400 + q*int64(r.IntN(96))
			if prevEnd > 0 && r.IntN(4) == 0 {
				start = prevEnd // touching the previous shift
			}
			end := start + q*int64(8+r.IntN(48)) // 2–14 h, often overnight
			if r.IntN(3) == 0 {
				// Off the quarter hours: capacities in odd minutes make
				// reserves fractional, so their rounding shows.
				end += 60 * int64(1+r.IntN(14))
			}
			d.Shifts = append(d.Shifts, g.shift(t.ID, shifts.Normal, start, end, r.IntN(10) != 0))
			prevEnd = end
			if r.IntN(3) == 0 {
				off := start + q*int64(r.IntN(40))
				d.Shifts = append(d.Shifts, g.shift(t.ID, shifts.TimeOff, off, off+q*int64(1+r.IntN(16)), r.IntN(10) != 0))
			}
			if r.IntN(4) == 0 {
				oc := end
				d.Shifts = append(d.Shifts, g.shift(t.ID, shifts.OnCall, oc, oc+q*int64(4+r.IntN(40)), true))
			}
		}
	}

	var aid, asid int64 = 5000, 0
	for range r.IntN(16) {
		aid++
		start := base + q*int64(r.IntN(g.Days*96))
		a := capacity.Appointment{ID: aid, JobID: aid + 1000, JobTypeID: pick(r, d.JobTypes).ID, BusinessUnitID: pick(r, unitIDs),
			Start: g.at(start), End: g.at(start + q*int64(1+r.IntN(16))), ArrivalWindowStart: g.at(start), ArrivalWindowEnd: g.at(start + 2*3600)}
		if r.IntN(2) == 0 {
			a.Zip = pick(r, g.Zips)
		}
		d.Appointments = append(d.Appointments, a)
		for _, t := range subset(r, d.Technicians, 0.3) {
			asid++
			rec := capacity.Assignment{ID: asid, AppointmentID: aid, TechnicianID: t.ID, AssignedOn: g.at(start - 86400), Status: capacity.Assigned, ModifiedOn: g.at(start - 86400)}
			if r.IntN(5) == 0 {
				rec.Status, rec.UnassignedOn = capacity.Unassigned, g.at(start-3600)
			}
			d.Assignments = append(d.Assignments, rec)
		}
	}
	if g.controls {
		g.addControls(r, every)
	}
	return g
}

func (g *Tenant) shift(tech int64, t shifts.Type, start, end int64, active bool) shifts.Shift {
	g.nextShift++
	return shifts.Shift{ID: g.nextShift, TechnicianID: tech, Type: t, Title: t.String(), Start: g.at(start), End: g.at(end), Inactive: !active}
}

// Request returns a random valid request over the tenant's horizon.
func (g *Tenant) Request(r *rand.Rand) capacity.Request {
	base := hours.DayStart(g.Loc, g.First)
	q := int64(15 * 60)
	var from, to int64
	if r.IntN(2) == 0 {
		from = hours.DayStart(g.Loc, g.First+hours.Date(r.IntN(g.Days)))
		to = hours.DayStart(g.Loc, g.First+hours.Date(g.Days))
	} else {
		from = base - 86400 + q*int64(r.IntN((g.Days+1)*96))
		to = from + q*int64(1+r.IntN(g.Days*96))
	}
	req := capacity.Request{StartsOnOrAfter: time.Unix(from, 0), EndsOnOrBefore: time.Unix(to, 0)}
	for _, u := range g.Data.BusinessUnits {
		if r.IntN(3) == 0 {
			req.BusinessUnitIDs = append(req.BusinessUnitIDs, u.ID)
		}
	}
	if r.IntN(3) != 0 {
		req.JobTypeID = pick(r, g.Data.JobTypes).ID
		req.SkillBasedAvailability = r.IntN(2) == 0
	}
	if r.IntN(3) == 0 {
		req.Zip = pick(r, g.Zips)
	}
	return req
}

// NewShiftRequest returns a random shift creation request for one or two
// of the tenant's technicians within the horizon.
func (g *Tenant) NewShiftRequest(r *rand.Rand, t shifts.Type) shifts.CreateRequest {
	base := hours.DayStart(g.Loc, g.First)
	start := base + 900*int64(r.IntN(g.Days*96))
	ids := []int64{pick(r, g.Data.Technicians).ID}
	if other := pick(r, g.Data.Technicians).ID; other != ids[0] && r.IntN(2) == 0 {
		ids = append(ids, other)
	}
	return shifts.CreateRequest{TechnicianIDs: ids, Type: t, Title: "extra", Start: g.at(start), End: g.at(start + 900*int64(1+r.IntN(48)))}
}

func ptr[T any](v T) *T { return &v }

// at returns Unix seconds u as a time in the tenant's zone.
func (g *Tenant) at(u int64) time.Time { return time.Unix(u, 0).In(g.Loc) }

// addControls sets random capacity controls on the tenant, each with
// probability about 2/3, or each one when every is set.
func (g *Tenant) addControls(r *rand.Rand, every bool) {
	d := &g.Data
	some := func() bool { return r.IntN(3) != 0 || every }
	if some() {
		for i := range d.BusinessUnits {
			if r.IntN(4) != 0 {
				d.BusinessUnits[i].ReservePercentage = pick(r, []int{0, 10, 20, 50, 75, 90})
			}
		}
	}
	if some() {
		for id := int64(1); ; id++ {
			grp, ok := g.Group(r, d, 70+id)
			if !ok || len(grp.BusinessUnitIDs) == 0 {
				break
			}
			d.BusinessUnitGroups = append(d.BusinessUnitGroups, grp)
			if r.IntN(2) == 0 {
				break
			}
		}
	}
	if some() {
		d.TravelBufferMinutes = pick(r, []int{0, 15, 30})
	}
	for i := range d.JobTypes {
		if r.IntN(3) == 0 || (every && i == 0) {
			d.JobTypes[i].Priority = true
		}
		if r.IntN(3) == 0 {
			d.JobTypes[i].TravelBufferMinutes = ptr(pick(r, []int{0, 0, 15, 45}))
		}
	}
	if some() {
		for i := range 1 + r.IntN(6) {
			d.CapacityAdjustments = append(d.CapacityAdjustments, g.Adjustment(r, d, int64(i+1), r.IntN(6) == 0))
		}
	}
	if some() {
		for i := range 1 + r.IntN(3) {
			d.CapacityRules = append(d.CapacityRules, g.Rule(r, d, int64(30-7*i)))
		}
	}
}

// Group returns a random group with the given id over units of d in no
// other group (the group with that id itself aside), and false when every
// unit is taken. Its percentages are random, a reserve of 0 included.
func (g *Tenant) Group(r *rand.Rand, d *capacity.Data, id int64) (capacity.BusinessUnitGroup, bool) {
	var free []int64
	for _, u := range d.BusinessUnits {
		taken := slices.ContainsFunc(d.BusinessUnitGroups, func(x capacity.BusinessUnitGroup) bool {
			return x.ID != id && slices.Contains(x.BusinessUnitIDs, u.ID)
		})
		if !taken {
			free = append(free, u.ID)
		}
	}
	if len(free) == 0 {
		return capacity.BusinessUnitGroup{}, false
	}
	grp := capacity.BusinessUnitGroup{ID: id, Name: fmt.Sprint("Group ", id)}
	r.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	grp.BusinessUnitIDs = free[:min(len(free), 1+r.IntN(3))]
	if r.IntN(2) == 0 {
		grp.IdealBookingPercentage = 40 + r.IntN(150)
	}
	if r.IntN(2) == 0 {
		grp.ReservePercentage = ptr(pick(r, []int{0, 0, 10, 25, 60}))
	}
	return grp, true
}

// Adjustment returns a random adjustment with the given id on a date of
// the horizon: on one of the date's timeslots unless stray, in which case
// its bounds are random clocks (which may still match a timeslot, as a
// gap moves them); for the whole pool, a unit or a group of d; small or
// large, positive or negative enough to take a window below zero.
func (g *Tenant) Adjustment(r *rand.Rand, d *capacity.Data, id int64, stray bool) capacity.Adjustment {
	date := g.First + hours.Date(r.IntN(g.Days))
	a := capacity.Adjustment{ID: id, Date: date, Reason: "test", CreatedBy: &capacity.Actor{ID: 1, Name: "Planner"}}
	ws := d.Schedule.WindowsOn(nil, date)
	if stray || len(ws) == 0 {
		from := 30 * r.IntN(47)
		a.From, a.To = hours.Clock(from), hours.Clock(min(from+30*(1+r.IntN(8)), 24*60))
	} else {
		w := pick(r, ws)
		a.From, a.To = w.Slot.From, w.Slot.To
	}
	switch r.IntN(4) {
	case 0:
		if len(d.BusinessUnits) > 0 {
			a.BusinessUnitID = pick(r, d.BusinessUnits).ID
		}
	case 1:
		if len(d.BusinessUnitGroups) > 0 {
			a.BusinessUnitGroupID = pick(r, d.BusinessUnitGroups).ID
		}
	}
	switch r.IntN(4) {
	case 0:
		a.Minutes = -60 * (1 + r.IntN(40)) // often below zero capacity
	case 1:
		a.Minutes = 60 * (1 + r.IntN(10))
	default:
		a.Minutes = 15 * (r.IntN(17) - 8)
	}
	return a
}

// Rule returns a random capacity rule with the given id over d's job
// types and, sometimes, units.
func (g *Tenant) Rule(r *rand.Rand, d *capacity.Data, id int64) capacity.Rule {
	rl := capacity.Rule{ID: id, Name: fmt.Sprint("Rule ", id), MaxPercentage: pick(r, []int{1, 10, 25, 50, 75, 100, 1 + r.IntN(100)})}
	for _, j := range d.JobTypes {
		if r.IntN(2) == 0 {
			rl.JobTypeIDs = append(rl.JobTypeIDs, j.ID)
		}
	}
	if len(rl.JobTypeIDs) == 0 {
		rl.JobTypeIDs = []int64{pick(r, d.JobTypes).ID}
	}
	if r.IntN(2) == 0 {
		for _, u := range d.BusinessUnits {
			if r.IntN(2) == 0 {
				rl.BusinessUnitIDs = append(rl.BusinessUnitIDs, u.ID)
			}
		}
	}
	return rl
}
