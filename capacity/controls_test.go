package capacity_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/tenantgen"
	"github.com/opendispatch/dispatch/shifts"
)

// coverage counts what the compared timeslots exercised, so that a
// generator that stopped producing a case would be noticed.
type coverage struct {
	slots, noFit, exhausted, reserveHeld, ruleBlocked int
	adjusted, belowZero, priority, zeroCapExceeding   int
	grouped                                           int
}

func (c *coverage) count(e *capacity.Engine, d capacity.Data, req capacity.Request, resp *capacity.Response) {
	jt, _ := e.JobType(req.JobTypeID)
	grouped := false
	for _, g := range d.BusinessUnitGroups {
		if len(g.BusinessUnitIDs) > 1 && slices.ContainsFunc(g.BusinessUnitIDs, func(u int64) bool { return slices.Contains(req.BusinessUnitIDs, u) }) {
			grouped = true
		}
	}
	for _, a := range resp.Availabilities {
		for _, ts := range a.Timeslots {
			c.slots++
			why := ts.UnavailableBecause
			c.noFit += b2i(why.NoTechnicianFits)
			c.exhausted += b2i(why.PoolExhausted)
			c.reserveHeld += b2i(why.ReserveHeld)
			c.ruleBlocked += b2i(len(why.CapacityRules) > 0)
			c.priority += b2i(jt.Priority)
			c.grouped += b2i(grouped)
			c.zeroCapExceeding += b2i(ts.CapacityMinutes == 0 && ts.IsExceedingIdealBookingPercentage)
			w := hours.Window{Date: hours.DateAt(e.Location(), ts.Start.Unix()), Start: ts.Start.Unix(), End: ts.End.Unix()}
			var minutes int
			for _, adj := range d.CapacityAdjustments {
				if adj.Matches(e.Location(), w) {
					c.adjusted++
					minutes += adj.Minutes
				}
			}
			c.belowZero += b2i(minutes < 0 && ts.CapacityMinutes == 0)
		}
	}
}

func (c *coverage) check(t *testing.T) {
	t.Logf("%+v", *c)
	for name, n := range map[string]int{"noTechnicianFits": c.noFit, "poolExhausted": c.exhausted, "reserveHeld": c.reserveHeld,
		"capacityRule": c.ruleBlocked, "adjusted": c.adjusted, "below zero": c.belowZero, "priority": c.priority,
		"zero capacity exceeding": c.zeroCapExceeding, "grouped": c.grouped} {
		if n == 0 {
			t.Errorf("no compared timeslot was %s: the generator no longer reaches the case", name)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestControlsDifferential asserts engine == bitmap reference ==
// straightforward baseline, field by field, on random tenants that use
// every control of DESIGN §4a, across DST changes.
func TestControlsDifferential(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 400))
	var cov coverage
	props.Property("engine equals the references with every control", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 21))
		g := tenantgen.NewControlled(r)
		e := build(t, g.Data)
		for range 4 {
			req := g.Request(r)
			if msg := agree(t, e, req); msg != "" {
				return msg
			}
			cov.count(e, g.Data, req, query(t, e, req))
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	cov.check(t)
}

// TestControlsIncremental applies random sequences of control changes —
// adjustments, rules and groups added, changed and removed, percentages
// set — mixed with bookings. After each step the engine must answer as a
// fresh build from its records does, and give back the same records;
// after the sequence it must agree with both references.
func TestControlsIncremental(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 200))
	steps := map[string]int{}
	props.Property("control changes keep the engine equal to a fresh build and the references", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 22))
		g := tenantgen.NewControlled(r)
		e := build(t, g.Data)
		for step := range 10 {
			what, err := controlStep(r, g, e)
			if err != nil {
				return fmt.Sprintf("step %d (%s): %v", step, what, err)
			}
			steps[what]++
			if err := e.CheckCounted(); err != nil {
				return fmt.Sprintf("after step %d (%s): %v", step, what, err)
			}
			d := e.Data()
			fresh := build(t, d)
			if diff := gocmp.Diff(controlsOf(d), controlsOf(fresh.Data()), cmpopts.EquateEmpty()); diff != "" {
				return fmt.Sprintf("after step %d (%s): the records of a fresh build differ (-engine +fresh):\n%s", step, what, diff)
			}
			req := g.Request(r)
			if a, b := mustJSON(t, query(t, e, req)), mustJSON(t, query(t, fresh, req)); string(a) != string(b) {
				return fmt.Sprintf("after step %d (%s): engine and fresh build differ for %+v:\n%s\n%s", step, what, req, a, b)
			}
		}
		for range 2 {
			if msg := agree(t, e, g.Request(r)); msg != "" {
				return "after the sequence: " + msg
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("steps: %v", steps)
	for _, want := range []string{"add adjustment", "change adjustment", "remove adjustment", "add rule", "change rule", "remove rule",
		"add group", "change group", "remove group", "unit percentages", "group percentages", "assign", "add appointment",
		"refuse stray adjustment", "refuse removing a named group"} {
		if steps[want] == 0 {
			t.Errorf("no sequence took the step %q", want)
		}
	}
}

// stored returns an error unless list holds a record with want's id equal
// to want: an accepted change must be the one made.
func stored[T any](list []T, want T, id func(T) int64, opts ...gocmp.Option) error {
	for _, x := range list {
		if id(x) == id(want) {
			if diff := gocmp.Diff(want, x, append(opts, cmpopts.EquateEmpty())...); diff != "" {
				return fmt.Errorf("record %d is stored otherwise than given (-given +stored):\n%s", id(want), diff)
			}
			return nil
		}
	}
	return fmt.Errorf("record %d is not stored", id(want))
}

// controlStep applies one random change to e and names it. Changes the
// engine must refuse are checked to be refused and to change nothing.
func controlStep(r *rand.Rand, g *tenantgen.Tenant, e *capacity.Engine) (string, error) {
	d := e.Data()
	nextID := func(ids []int64) int64 { return slices.Max(append(ids, 0)) + 1 }
	var adjIDs, ruleIDs, groupIDs []int64
	for _, a := range d.CapacityAdjustments {
		adjIDs = append(adjIDs, a.ID)
	}
	for _, x := range d.CapacityRules {
		ruleIDs = append(ruleIDs, x.ID)
	}
	for _, x := range d.BusinessUnitGroups {
		groupIDs = append(groupIDs, x.ID)
	}
	switch r.IntN(13) {
	case 0, 1:
		a := g.Adjustment(r, &d, nextID(adjIDs), false)
		if _, ok := a.FindWindow(d.Schedule); !ok {
			if err := e.AddAdjustment(a); err == nil {
				return "add stray adjustment", fmt.Errorf("an adjustment matching no window was accepted: %+v", a)
			}
			return "refuse stray adjustment", nil
		}
		if err := e.AddAdjustment(a); err != nil {
			return "add adjustment", err
		}
		return "add adjustment", stored(e.Adjustments(), a, func(a capacity.Adjustment) int64 { return a.ID },
			cmpopts.IgnoreFields(capacity.Adjustment{}, "CreatedOn"))
	case 2:
		if len(adjIDs) == 0 {
			return "none", nil
		}
		a := g.Adjustment(r, &d, pick(r, adjIDs), false)
		if _, ok := a.FindWindow(d.Schedule); !ok {
			return "none", nil
		}
		if err := e.ChangeAdjustment(a); err != nil {
			return "change adjustment", err
		}
		return "change adjustment", stored(e.Adjustments(), a, func(a capacity.Adjustment) int64 { return a.ID },
			cmpopts.IgnoreFields(capacity.Adjustment{}, "CreatedOn"))
	case 3:
		if len(adjIDs) == 0 {
			return "none", nil
		}
		_, err := e.RemoveAdjustment(pick(r, adjIDs))
		return "remove adjustment", err
	case 4:
		rl := g.Rule(r, &d, nextID(ruleIDs))
		if err := e.AddRule(rl); err != nil {
			return "add rule", err
		}
		return "add rule", stored(e.Rules(), rl, func(r capacity.Rule) int64 { return r.ID })
	case 5:
		if len(ruleIDs) == 0 {
			return "none", nil
		}
		rl := g.Rule(r, &d, pick(r, ruleIDs))
		if err := e.ChangeRule(rl); err != nil {
			return "change rule", err
		}
		return "change rule", stored(e.Rules(), rl, func(r capacity.Rule) int64 { return r.ID })
	case 6:
		if len(ruleIDs) == 0 {
			return "none", nil
		}
		_, err := e.RemoveRule(pick(r, ruleIDs))
		return "remove rule", err
	case 7:
		grp, ok := g.Group(r, &d, nextID(groupIDs))
		if !ok {
			return "none", nil
		}
		if err := e.AddGroup(grp); err != nil {
			return "add group", err
		}
		return "add group", stored(e.BusinessUnitGroups(), grp, func(g capacity.BusinessUnitGroup) int64 { return g.ID })
	case 8:
		if len(groupIDs) == 0 {
			return "none", nil
		}
		grp, ok := g.Group(r, &d, pick(r, groupIDs))
		if !ok {
			return "none", nil
		}
		if err := e.ChangeGroup(grp); err != nil {
			return "change group", err
		}
		return "change group", stored(e.BusinessUnitGroups(), grp, func(g capacity.BusinessUnitGroup) int64 { return g.ID })
	case 9:
		if len(groupIDs) == 0 {
			return "none", nil
		}
		id := pick(r, groupIDs)
		named := slices.ContainsFunc(d.CapacityAdjustments, func(a capacity.Adjustment) bool { return a.BusinessUnitGroupID == id })
		_, err := e.RemoveGroup(id)
		if named {
			if err == nil {
				return "remove named group", fmt.Errorf("removed group %d that an adjustment names", id)
			}
			return "refuse removing a named group", nil
		}
		return "remove group", err
	case 10:
		u := pick(r, d.BusinessUnits)
		ideal := 0
		if r.IntN(2) == 0 {
			ideal = 1 + r.IntN(200)
		}
		return "unit percentages", e.SetUnitPercentages(u.ID, ideal, r.IntN(91))
	case 11:
		if len(groupIDs) == 0 {
			return "none", nil
		}
		var reserve *int
		if r.IntN(2) == 0 {
			x := r.IntN(91)
			reserve = &x
		}
		return "group percentages", e.SetGroupPercentages(pick(r, groupIDs), r.IntN(201), reserve)
	default:
		var live []capacity.Appointment
		for _, a := range d.Appointments {
			if !a.Canceled {
				live = append(live, a)
			}
		}
		if len(live) > 0 && r.IntN(2) == 0 {
			a := pick(r, live)
			_, _, err := e.Assign(a.ID, []int64{pick(r, d.Technicians).ID}, nil)
			return "assign", err
		}
		start := hours.DayStart(g.Loc, g.First) + 900*int64(r.IntN(g.Days*96))
		a := capacity.Appointment{ID: nextID(apptIDs(d)), JobTypeID: pick(r, d.JobTypes).ID, BusinessUnitID: pick(r, d.BusinessUnits).ID,
			Start: u(start), End: u(start + 900*int64(1+r.IntN(12)))}
		return "add appointment", e.AddAppointment(a)
	}
}

func apptIDs(d capacity.Data) []int64 {
	var out []int64
	for _, a := range d.Appointments {
		out = append(out, a.ID)
	}
	return out
}

// pick returns a random element of xs (see one, for a pointer to it).
func pick[T any](r *rand.Rand, xs []T) T { return *one(r, xs) }

// boundaryCase is a small tenant whose figures in its one timeslot are
// known by construction: n technicians across two units of one group,
// working from S's start (or some minutes later) to midnight, one arrival
// window S, a booked appointment of b seconds on the first technician and
// a pending one of p seconds, both of job type 1 and inside S.
type boundaryCase struct {
	data       capacity.Data
	date       hours.Date
	s, e       int64 // the timeslot S
	n          int64 // technicians
	cap        int64 // Σ capacity(t) = n × |S|
	booked     int64 // b
	pending    int64 // p
	reserveSum int64 // Σ reserve(bu(t)) × capacity(t)
	idealSum   int64 // Σ ideal(bu(t)) × capacity(t)
}

var boundaryDates = []struct{ zone, date string }{
	{"America/Denver", "2026-03-08"}, {"America/Denver", "2026-11-01"}, {"Europe/Amsterdam", "2026-03-29"},
	{"Australia/Lord_Howe", "2026-04-05"}, {"Australia/Lord_Howe", "2026-10-04"}, {"UTC", "2026-06-01"},
}

// newBoundaryCase returns a random boundary case, or false when the window
// drawn is shorter than an hour (swallowed by a gap).
func newBoundaryCase(r *rand.Rand) (boundaryCase, bool) {
	z := pick(r, boundaryDates)
	loc, err := hours.LoadLocation(z.zone)
	if err != nil {
		panic(err)
	}
	date := hours.MustParseDate(z.date)
	from := hours.Clock(30 * r.IntN(37))        // 00:00–18:00
	to := from + hours.Clock(30*(2+r.IntN(11))) // one to six hours later
	var c boundaryCase
	c.date, c.s, c.e = date, hours.Local(loc, date, from), hours.Local(loc, date, to)
	if c.e-c.s < 3600 {
		return c, false
	}
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: z.zone, BusinessHours: bh,
		ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: from.String(), To: to.String()}}})
	if err != nil {
		panic(err)
	}
	reserves := [3]int{0, r.IntN(91), r.IntN(91)}
	ideals := [3]int{0, 50 + r.IntN(100), 50 + r.IntN(100)}
	groupIdeal := 0
	if r.IntN(2) == 0 {
		groupIdeal = 40 + r.IntN(150)
	}
	d := capacity.Data{
		Schedule: sched,
		BusinessUnits: []capacity.BusinessUnit{
			{ID: 1, Name: "Service", IdealBookingPercentage: ideals[1], ReservePercentage: reserves[1]},
			{ID: 2, Name: "Maintenance", IdealBookingPercentage: ideals[2], ReservePercentage: reserves[2]},
		},
		BusinessUnitGroups: []capacity.BusinessUnitGroup{{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 2}, IdealBookingPercentage: groupIdeal}},
		JobTypes: []capacity.JobType{
			{ID: 1, Name: "Install", DurationMinutes: 30 * (1 + r.IntN(4))},
			{ID: 2, Name: "Emergency", DurationMinutes: 30 * (1 + r.IntN(4)), Priority: true, TravelBufferMinutes: ptr(15 * r.IntN(3))},
			{ID: 3, Name: "Repair", DurationMinutes: 30 * (1 + r.IntN(4))},
		},
		TravelBufferMinutes: 15 * r.IntN(3),
	}
	c.n = int64(1 + r.IntN(4))
	for i := range c.n {
		unit := 1 + i%2
		// The first technician works from S's start, the others from a
		// few minutes later: capacities in odd minutes make the reserve
		// fractional, so that its rounding shows.
		late := int64(0)
		if i > 0 {
			late = 60 * r.Int64N((c.e-c.s)/120)
		}
		d.Technicians = append(d.Technicians, capacity.Technician{ID: 100 + i, Name: fmt.Sprint("Tech ", i), BusinessUnitID: unit})
		d.Shifts = append(d.Shifts, shifts.Shift{ID: 1 + i, TechnicianID: 100 + i, Type: shifts.Normal,
			Start: u(c.s + late), End: u(hours.DayStart(loc, date+1))})
		capT := c.e - c.s - late
		c.cap += capT
		c.reserveSum += int64(reserves[unit]) * capT
		c.idealSum += int64(cmp.Or(groupIdeal, ideals[unit])) * capT
	}
	q := (c.e - c.s) / 900 // quarter hours in S
	c.booked = 900 * r.Int64N(q)
	c.pending = 900 * r.Int64N(q+1)
	if c.booked > 0 {
		d.Appointments = append(d.Appointments, capacity.Appointment{ID: 1, JobTypeID: 1, BusinessUnitID: 1, Start: u(c.s), End: u(c.s + c.booked)})
		d.Assignments = append(d.Assignments, capacity.Assignment{ID: 1, AppointmentID: 1, TechnicianID: 100, Status: capacity.Assigned})
	}
	if c.pending > 0 {
		d.Appointments = append(d.Appointments, capacity.Appointment{ID: 2, JobTypeID: 1, BusinessUnitID: 2, Start: u(c.e - c.pending), End: u(c.e)})
	}
	c.data = d
	return c, true
}

// adjusted returns the case's data with one adjustment of the given
// minutes on S, for the whole pool.
func (c boundaryCase) adjusted(minutes int64) capacity.Data {
	d := c.data
	w := d.Schedule.Rules().ArrivalWindows[0]
	d.CapacityAdjustments = []capacity.Adjustment{{ID: 1, Date: c.date, From: hours.MustParseClock(w.From), To: hours.MustParseClock(w.To), Minutes: int(minutes)}}
	return d
}

func (c boundaryCase) slot(t testing.TB, d capacity.Data, jobType int64) (capacity.Timeslot, string) {
	e := build(t, d)
	req := capacity.Request{StartsOnOrAfter: time.Unix(c.s, 0), EndsOnOrBefore: time.Unix(c.e, 0), BusinessUnitIDs: []int64{1}, JobTypeID: jobType}
	if msg := agree(t, e, req); msg != "" {
		return capacity.Timeslot{}, msg
	}
	resp := query(t, e, req)
	if len(resp.Availabilities) != 1 || len(resp.Availabilities[0].Timeslots) != 1 {
		return capacity.Timeslot{}, fmt.Sprintf("want one timeslot, got %+v", resp.Availabilities)
	}
	return resp.Availabilities[0].Timeslots[0], ""
}

// ceilDiv returns ⌈a / b⌉ for b > 0.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a > 0) == (b > 0) {
		q++
	}
	return q
}

// TestBoundaries puts each control exactly at its boundary, by
// construction, and one minute past it: the pool at P = 0, the reserve at
// the largest P with P − Rv ≤ 0, a rule at the smallest adjustment that
// lets (used + d') × 100 ≤ max × (Σ cap + A) hold, the ideal test at the
// smallest adjustment that keeps it false. Expected outcomes come from
// the definition's formulas over figures known by construction, and the
// engine and both references must agree at every point.
func TestBoundaries(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 200))
	exact := map[string]int{}
	props.Property("controls flip exactly at their boundaries", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 23))
		c, ok := newBoundaryCase(r)
		if !ok {
			return ""
		}
		free := c.cap - c.booked
		jt := func(id int64) (d int64, buffer int64) {
			j := c.data.JobTypes[id-1]
			b := c.data.TravelBufferMinutes
			if j.TravelBufferMinutes != nil {
				b = *j.TravelBufferMinutes
			}
			return int64(j.DurationMinutes) * 60, int64(b) * 60
		}

		// The pool: a priority request (no reserve), no rule. P = free + A −
		// pending is 0 at A = pending − free.
		a := (c.pending - free) / 60
		ts, msg := c.slot(t, c.adjusted(a), 2)
		if msg != "" {
			return "pool: " + msg
		}
		if !ts.UnavailableBecause.PoolExhausted || ts.IsAvailable || ts.TotalAvailability != 0 {
			return fmt.Sprintf("pool at P = 0 (A = %d min): %+v", a, ts)
		}
		ts, msg = c.slot(t, c.adjusted(a+1), 2)
		if msg != "" {
			return "pool: " + msg
		}
		if ts.UnavailableBecause.PoolExhausted || ts.TotalAvailability != 1 {
			return fmt.Sprintf("pool at P = 60 s (A = %d min): %+v", a+1, ts)
		}
		exact["pool"]++

		// The reserve: a request without priority. Rv = ⌊Σ reserve × cap /
		// 100⌋; the largest whole-minute adjustment with P ≤ Rv holds it.
		rv := c.reserveSum / 100
		if rv >= 60 {
			a := (rv - free + c.pending) / 60
			if (rv-free+c.pending)%60 < 0 {
				a-- // floor
			}
			ts, msg := c.slot(t, c.adjusted(a), 3)
			if msg != "" {
				return "reserve: " + msg
			}
			p := free + 60*a - c.pending
			if p > 0 && (!ts.UnavailableBecause.ReserveHeld || ts.UnavailableBecause.PoolExhausted || ts.IsAvailable || ts.TotalAvailability != 0) {
				return fmt.Sprintf("reserve at P = %d s, Rv = %d s: %+v", p, rv, ts)
			}
			ts, msg = c.slot(t, c.adjusted(a+1), 3)
			if msg != "" {
				return "reserve: " + msg
			}
			if ts.UnavailableBecause.ReserveHeld || ts.TotalAvailability != (p+60-rv)/60 {
				return fmt.Sprintf("reserve at P = %d s, Rv = %d s: %+v", p+60, rv, ts)
			}
			if (rv-free+c.pending)%60 == 0 {
				exact["reserve"]++
			}
		}

		// A rule on job type 1, with a max that divides 100 half the time
		// (then the boundary is an equality). used = b + p.
		maxPct := int64(pick(r, []int{1, 2, 4, 5, 10, 20, 25, 50, 100}))
		if r.IntN(2) == 0 {
			maxPct = 1 + r.Int64N(100)
		}
		d, buffer := jt(1)
		x := (c.booked + c.pending + d + buffer) * 100
		need := ceilDiv(x, maxPct) // Σ cap + A must reach this
		a = ceilDiv(need-c.cap, 60)
		for _, step := range []struct {
			minutes int64
			blocked bool
		}{{a, false}, {a - 1, true}} {
			dd := c.adjusted(step.minutes)
			dd.CapacityRules = []capacity.Rule{{ID: 9, Name: "Installs", JobTypeIDs: []int64{1}, MaxPercentage: int(maxPct)}}
			ts, msg := c.slot(t, dd, 1)
			if msg != "" {
				return "rule: " + msg
			}
			if got := slices.Equal(ts.UnavailableBecause.CapacityRules, []int64{9}); got != step.blocked {
				return fmt.Sprintf("rule max %d%% at Σcap + A = %d s, used + d' = %d s: blocked %v, want %v (%+v)",
					maxPct, c.cap+60*step.minutes, x/100, got, step.blocked, ts)
			}
		}
		if x%maxPct == 0 && (need-c.cap)%60 == 0 {
			exact["rule"]++
		}

		// The ideal test, with the tenant's percentage at 100 for the
		// adjustment: exceeding when (b + p + d') × 100 > Σ ideal × cap +
		// 100 × A.
		d, buffer = jt(3)
		lhs := (c.booked + c.pending + d + buffer) * 100
		a = ceilDiv(lhs-c.idealSum, 6000)
		for _, step := range []struct {
			minutes   int64
			exceeding bool
		}{{a, false}, {a - 1, true}} {
			ts, msg := c.slot(t, c.adjusted(step.minutes), 3)
			if msg != "" {
				return "ideal: " + msg
			}
			if ts.IsExceedingIdealBookingPercentage != step.exceeding {
				return fmt.Sprintf("ideal at A = %d min (left %d, right %d): exceeding %v, want %v", step.minutes, lhs, c.idealSum+6000*step.minutes,
					ts.IsExceedingIdealBookingPercentage, step.exceeding)
			}
		}
		if (lhs-c.idealSum)%6000 == 0 {
			exact["ideal"]++
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("cases at an exact equality: %v", exact)
	for _, k := range []string{"pool", "reserve", "rule", "ideal"} {
		if exact[k] == 0 {
			t.Errorf("no case put the %s exactly at its boundary", k)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestShards runs the differential with units summed in shards of two
// technicians, as a unit of more than 20,000 would be, and builds that
// split the technicians' figures between two goroutines however few they
// are, as a large tenant's do.
func TestShards(t *testing.T) {
	defer capacity.SetMaxShard(2)()
	defer capacity.SetParallelFrom(2)()
	props := gopter.NewProperties(proptest.Params(t, 100))
	props.Property("engine equals the references with small shards", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 24))
		g := tenantgen.NewControlled(r)
		e := build(t, g.Data)
		for range 3 {
			if msg := agree(t, e, g.Request(r)); msg != "" {
				return msg
			}
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
}

// TestControlsSteadyStateAllocations: with every control set, a query
// still allocates only its response; adding and removing an adjustment
// allocates nothing once the tables have grown.
func TestControlsSteadyStateAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	d := workedTenant()
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
	d.BusinessUnits[0].ReservePercentage = 20
	d.TravelBufferMinutes = 15
	d.CapacityAdjustments = []capacity.Adjustment{adjustW(1, -30)}
	d.CapacityRules = []capacity.Rule{{ID: 7, JobTypeIDs: []int64{10, 11}, MaxPercentage: 50}}
	e := build(t, d)
	req := capacity.Request{StartsOnOrAfter: at("2027-03-08", "00:00"), EndsOnOrBefore: at("2027-03-13", "00:00"), JobTypeID: 10}
	query(t, e, req)
	if n := testing.AllocsPerRun(50, func() { query(t, e, req) }); n > 4 {
		t.Errorf("a steady-state query allocates %v times, want at most 4 (the response)", n)
	}
	a := adjustW(2, 45)
	if n := testing.AllocsPerRun(50, func() {
		if err := e.AddAdjustment(a); err != nil {
			t.Fatal(err)
		}
		if _, err := e.RemoveAdjustment(a.ID); err != nil {
			t.Fatal(err)
		}
	}); n > 0 {
		t.Errorf("adding and removing an adjustment allocates %v times, want 0", n)
	}
}

// controlsOf returns the records the controls live in: what a fresh
// build must give back unchanged.
func controlsOf(d capacity.Data) any {
	return struct {
		Units       []capacity.BusinessUnit
		JobTypes    []capacity.JobType
		Buffer      int
		Groups      []capacity.BusinessUnitGroup
		Adjustments []capacity.Adjustment
		Rules       []capacity.Rule
		Appts       int
	}{d.BusinessUnits, d.JobTypes, d.TravelBufferMinutes, d.BusinessUnitGroups, d.CapacityAdjustments, d.CapacityRules, len(d.Appointments)}
}

// TestConcurrentControls changes controls while queries run (go test
// -race finds unsynchronized access), then checks the engine against the
// references.
func TestConcurrentControls(t *testing.T) {
	d := workedTenant()
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{hvac}
	e := build(t, d)
	req := capacity.Request{StartsOnOrAfter: at("2027-03-09", "00:00"), EndsOnOrBefore: at("2027-03-10", "00:00"),
		BusinessUnitIDs: []int64{1}, JobTypeID: 11}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				var err error
				switch w {
				case 0:
					if err = e.AddAdjustment(adjustW(int64(10+i), i-50)); err == nil && i%2 == 0 {
						_, err = e.RemoveAdjustment(int64(10 + i))
					}
				case 1:
					err = e.SetUnitPercentages(1, 50+i, i%91)
					if err == nil {
						err = e.ChangeRule(capacity.Rule{ID: 7, JobTypeIDs: []int64{11}, MaxPercentage: 1 + i%100})
					}
					if err != nil && errors.Is(err, capacity.ErrNotFound) {
						err = e.AddRule(capacity.Rule{ID: 7, JobTypeIDs: []int64{11}, MaxPercentage: 1 + i%100})
					}
				default:
					_, err = e.Capacity(req)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if msg := agree(t, e, req); msg != "" {
		t.Error(msg)
	}
}

// TestPercentages: the rule the engine and the simulator share — the
// group's ideal, else the unit's, else the tenant's; the group's reserve
// when set (0 included), else the unit's.
func TestPercentages(t *testing.T) {
	zero, fifteen := 0, 15
	unit := capacity.BusinessUnit{ID: 1, IdealBookingPercentage: 80, ReservePercentage: 10}
	bare := capacity.BusinessUnit{ID: 2}
	for _, c := range []struct {
		name                   string
		u                      capacity.BusinessUnit
		g                      *capacity.BusinessUnitGroup
		wantIdeal, wantReserve int
	}{
		{"unit alone", unit, nil, 80, 10},
		{"bare unit: the tenant's ideal", bare, nil, 95, 0},
		{"group sets both", unit, &capacity.BusinessUnitGroup{IdealBookingPercentage: 120, ReservePercentage: &fifteen}, 120, 15},
		{"group reserve 0 holds nothing back", unit, &capacity.BusinessUnitGroup{ReservePercentage: &zero}, 80, 0},
		{"group sets neither", unit, &capacity.BusinessUnitGroup{}, 80, 10},
		{"bare unit in a group without ideal", bare, &capacity.BusinessUnitGroup{ReservePercentage: &fifteen}, 95, 15},
	} {
		ideal, reserve := capacity.Percentages(&c.u, c.g, 95)
		if ideal != c.wantIdeal || reserve != c.wantReserve {
			t.Errorf("%s: got ideal %d, reserve %d; want %d, %d", c.name, ideal, reserve, c.wantIdeal, c.wantReserve)
		}
	}
}
