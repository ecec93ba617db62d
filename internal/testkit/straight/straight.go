// Package straight is the straightforward baseline of the capacity
// computation, DESIGN §4 with the controls of §4a: merge-based interval
// arithmetic recomputed from the raw records on every request, with no
// incremental state and no tricks. It is what the engine's speed is
// measured against, and it must agree with the engine. It derives every
// reported figure itself, from the design's text: it shares no code with
// the engine beyond the record types, the interval algebra and the
// wall-clock conversion of package hours.
package straight

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
)

// Capacity answers req over data. req must be valid.
func Capacity(data *capacity.Data, req capacity.Request) *capacity.Response {
	sched := data.Schedule
	loc := sched.Location()
	from, to := req.StartsOnOrAfter.Unix(), req.EndsOnOrBefore.Unix()

	// The job: d' is its duration plus its travel buffer (the job type's
	// own, 0 included, else the tenant's); 0 without a job type.
	var jt *capacity.JobType
	for i := range data.JobTypes {
		if data.JobTypes[i].ID == req.JobTypeID {
			jt = &data.JobTypes[i]
		}
	}
	var dPrime int64
	priority := false
	if jt != nil {
		buffer := data.TravelBufferMinutes
		if jt.TravelBufferMinutes != nil {
			buffer = *jt.TravelBufferMinutes
		}
		dPrime = int64(jt.DurationMinutes+buffer) * 60
		priority = jt.Priority
	}

	// Groups and R*.
	groupOf := map[int64]*capacity.BusinessUnitGroup{}
	for i := range data.BusinessUnitGroups {
		for _, u := range data.BusinessUnitGroups[i].BusinessUnitIDs {
			groupOf[u] = &data.BusinessUnitGroups[i]
		}
	}
	everyUnit := len(req.BusinessUnitIDs) == 0
	rstar := map[int64]bool{}
	for _, u := range req.BusinessUnitIDs {
		rstar[u] = true
		if g := groupOf[u]; g != nil {
			for _, v := range g.BusinessUnitIDs {
				rstar[v] = true
			}
		}
	}
	inR := func(u int64) bool { return everyUnit || rstar[u] }
	meets := func(units []int64) bool { return slices.ContainsFunc(units, inR) }

	// Percentages.
	tenantIdeal := int64(100)
	if data.IdealBookingPercentage != 0 {
		tenantIdeal = int64(data.IdealBookingPercentage)
	}
	unitOf := map[int64]capacity.BusinessUnit{}
	for _, u := range data.BusinessUnits {
		unitOf[u.ID] = u
	}
	idealOf := func(u int64) int64 {
		if g := groupOf[u]; g != nil && g.IdealBookingPercentage != 0 {
			return int64(g.IdealBookingPercentage)
		}
		if p := unitOf[u].IdealBookingPercentage; p != 0 {
			return int64(p)
		}
		return tenantIdeal
	}
	reserveOf := func(u int64) int64 {
		if g := groupOf[u]; g != nil && g.ReservePercentage != nil {
			return int64(*g.ReservePercentage)
		}
		return int64(unitOf[u].ReservePercentage)
	}

	// One pass over the records, grouped by technician.
	normal := map[int64][]interval.Span{}
	off := map[int64][]interval.Span{}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, sh := range data.Shifts {
		if !sh.IsActive() {
			continue
		}
		sp := interval.Span{Start: sh.Start.Unix(), End: sh.End.Unix()}
		switch sh.Type {
		case shifts.Normal:
			normal[sh.TechnicianID] = append(normal[sh.TechnicianID], sp)
			lo, hi = min(lo, sh.Start.Unix()), max(hi, sh.End.Unix())
		case shifts.TimeOff:
			off[sh.TechnicianID] = append(off[sh.TechnicianID], sp)
		}
	}
	open := interval.Set{}
	if lo < hi {
		open = sched.Open(lo, hi)
	}
	// A canceled appointment consumes nothing: it is left out from here.
	var live []capacity.Appointment
	apptByID := make(map[int64]capacity.Appointment, len(data.Appointments))
	for _, a := range data.Appointments {
		if !a.Canceled {
			apptByID[a.ID] = a
			live = append(live, a)
		}
	}
	busy := map[int64][]interval.Span{}
	assigned := map[int64]bool{}
	for _, as := range data.Assignments {
		if a, ok := apptByID[as.AppointmentID]; ok && as.Status == capacity.Assigned {
			busy[as.TechnicianID] = append(busy[as.TechnicianID], interval.Span{Start: a.Start.Unix(), End: a.End.Unix()})
			assigned[a.ID] = true
		}
	}
	var pending []capacity.Appointment
	for _, a := range live {
		if !assigned[a.ID] && inR(a.BusinessUnitID) {
			pending = append(pending, a)
		}
	}
	var zipZones []int64
	if req.Zip != "" && data.Zones != nil {
		zipZones, _ = data.Zones.LookupZip(req.Zip)
	}

	// The rules that apply, each with the appointments it counts.
	type applying struct {
		id, max int64
		counted []capacity.Appointment
	}
	var rules []applying
	if jt != nil {
		for _, r := range data.CapacityRules {
			if !slices.Contains(r.JobTypeIDs, jt.ID) || (len(r.BusinessUnitIDs) > 0 && !meets(r.BusinessUnitIDs)) {
				continue
			}
			ap := applying{id: r.ID, max: int64(r.MaxPercentage)}
			for _, a := range live {
				if slices.Contains(r.JobTypeIDs, a.JobTypeID) && inR(a.BusinessUnitID) {
					ap.counted = append(ap.counted, a)
				}
			}
			rules = append(rules, ap)
		}
		slices.SortFunc(rules, func(a, b applying) int { return cmp.Compare(a.id, b.id) })
	}

	// The adjustments that apply to the request, with their instants and
	// ideal percentages.
	type adjusting struct {
		date       hours.Date
		start, end int64
		sec, ideal int64
	}
	var adjs []adjusting
	for _, a := range data.CapacityAdjustments {
		x := adjusting{date: a.Date, start: hours.Local(loc, a.Date, a.From), end: hours.Local(loc, a.Date, a.To), sec: int64(a.Minutes) * 60, ideal: tenantIdeal}
		switch {
		case a.BusinessUnitID != 0:
			if !inR(a.BusinessUnitID) {
				continue
			}
			x.ideal = idealOf(a.BusinessUnitID)
		case a.BusinessUnitGroupID != 0:
			var g *capacity.BusinessUnitGroup
			for i := range data.BusinessUnitGroups {
				if data.BusinessUnitGroups[i].ID == a.BusinessUnitGroupID {
					g = &data.BusinessUnitGroups[i]
				}
			}
			if g == nil || !meets(g.BusinessUnitIDs) {
				continue
			}
			if g.IdealBookingPercentage != 0 {
				x.ideal = int64(g.IdealBookingPercentage)
			}
		}
		adjs = append(adjs, x)
	}

	type member struct {
		id             int64
		ideal, reserve int64
		work, free     interval.Set
	}
	techs := slices.Clone(data.Technicians)
	slices.SortFunc(techs, func(a, b capacity.Technician) int { return cmp.Compare(a.ID, b.ID) })
	var pool []member
	for _, t := range techs {
		if !t.IsActive() || !inR(t.BusinessUnitID) {
			continue
		}
		if req.SkillBasedAvailability && !t.HasSkills(jt.Skills) {
			continue
		}
		if req.Zip != "" && len(t.ZoneIDs) > 0 && !slices.ContainsFunc(t.ZoneIDs, func(z int64) bool { return slices.Contains(zipZones, z) }) {
			continue
		}
		w := open.Intersect(interval.New(normal[t.ID]...)).Difference(interval.New(off[t.ID]...))
		pool = append(pool, member{id: t.ID, ideal: idealOf(t.BusinessUnitID), reserve: reserveOf(t.BusinessUnitID),
			work: w, free: w.Difference(interval.New(busy[t.ID]...))})
	}

	overlap := func(a capacity.Appointment, s, e int64) int64 {
		return max(0, min(a.End.Unix(), e)-max(a.Start.Unix(), s))
	}
	resp := &capacity.Response{StartsOnOrAfter: time.Unix(from, 0).In(loc), EndsOnOrBefore: time.Unix(to, 0).In(loc), Zone: loc}
	var day *capacity.Availability
	var date hours.Date = -1 << 30
	for _, w := range sched.Windows(from, to) {
		if w.Start < from || w.End > to || !(len(w.BusinessUnitIDs) == 0 || meets(w.BusinessUnitIDs)) {
			continue
		}
		var capSum, freeSum, idealSum, reserveSum, pend, adj, adjIdeal int64
		ids := []int64{}
		for _, m := range pool {
			c := m.work.MeasureIn(w.Start, w.End)
			capSum += c
			freeSum += m.free.MeasureIn(w.Start, w.End)
			idealSum += m.ideal * c
			reserveSum += m.reserve * c
			if run := m.free.LongestRun(w.Start, w.End); run > 0 && run >= dPrime {
				ids = append(ids, m.id)
			}
		}
		for _, a := range pending {
			pend += overlap(a, w.Start, w.End)
		}
		for _, a := range adjs {
			if a.date == w.Date && a.start == w.Start && a.end == w.End {
				adj += a.sec
				adjIdeal += a.ideal * a.sec
			}
		}
		var blocking []int64
		for _, r := range rules {
			var used int64
			for _, a := range r.counted {
				used += overlap(a, w.Start, w.End)
			}
			if (used+dPrime)*100 > r.max*max(0, capSum+adj) {
				blocking = append(blocking, r.id)
			}
		}
		var rv int64
		if !priority {
			rv = reserveSum / 100
		}
		booked := capSum - freeSum
		p := freeSum + adj - pend
		ts := capacity.Timeslot{
			Start:                             time.Unix(w.Start, 0).In(loc),
			End:                               time.Unix(w.End, 0).In(loc),
			TechnicianIDs:                     ids,
			IsAvailable:                       len(ids) > 0 && p-rv > 0 && len(blocking) == 0,
			IsExceedingIdealBookingPercentage: (booked+pend+dPrime)*100 > idealSum+adjIdeal,
			TotalAvailability:                 max(0, p-rv) / 60,
			CapacityMinutes:                   max(0, capSum+adj) / 60,
			BookedMinutes:                     booked / 60,
			PendingMinutes:                    pend / 60,
		}
		if !ts.IsAvailable {
			ts.UnavailableBecause = capacity.Reasons{NoTechnicianFits: len(ids) == 0, PoolExhausted: p <= 0,
				ReserveHeld: p > 0 && p-rv <= 0, CapacityRules: blocking}
		}
		if w.Date != date {
			resp.Availabilities = append(resp.Availabilities, capacity.Availability{})
			day = &resp.Availabilities[len(resp.Availabilities)-1]
			date = w.Date
		}
		day.Timeslots = append(day.Timeslots, ts)
	}
	// Timeslots in time order: across a spring-forward gap a window's
	// wall-clock order and its instants' order may differ.
	for i := range resp.Availabilities {
		day := &resp.Availabilities[i]
		slices.SortStableFunc(day.Timeslots, func(a, b capacity.Timeslot) int {
			return cmp.Or(a.Start.Compare(b.Start), a.End.Compare(b.End))
		})
		day.Start, day.End = day.Timeslots[0].Start, day.Timeslots[len(day.Timeslots)-1].End
	}
	return resp
}
