// Package straight is the straightforward baseline of the capacity
// computation: merge-based interval arithmetic recomputed from the raw
// records on every request, with no incremental state and no tricks. It is
// what the engine's speed is measured against, and it must agree with the
// engine.
package straight

import (
	"math"
	"slices"

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

	var jt capacity.JobType
	for _, j := range data.JobTypes {
		if j.ID == req.JobTypeID {
			jt = j
		}
	}
	d := int64(jt.DurationMinutes) * 60

	// One pass over the records, grouped by technician.
	normal := map[int64][]interval.Span{}
	off := map[int64][]interval.Span{}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, sh := range data.Shifts {
		if !sh.Active {
			continue
		}
		sp := interval.Span{Start: sh.Start, End: sh.End}
		switch sh.Type {
		case shifts.Normal:
			normal[sh.TechnicianID] = append(normal[sh.TechnicianID], sp)
			lo, hi = min(lo, sh.Start), max(hi, sh.End)
		case shifts.TimeOff:
			off[sh.TechnicianID] = append(off[sh.TechnicianID], sp)
		}
	}
	open := interval.Set{}
	if lo < hi {
		open = sched.Open(lo, hi)
	}
	apptByID := make(map[int64]capacity.Appointment, len(data.Appointments))
	for _, a := range data.Appointments {
		apptByID[a.ID] = a
	}
	busy := map[int64][]interval.Span{}
	assigned := map[int64]bool{}
	for _, as := range data.Assignments {
		if as.Status == capacity.Assigned {
			a := apptByID[as.AppointmentID]
			busy[as.TechnicianID] = append(busy[as.TechnicianID], interval.Span{Start: a.Start, End: a.End})
			assigned[a.ID] = true
		}
	}
	var pending []capacity.Appointment
	for _, a := range data.Appointments {
		if !assigned[a.ID] && (len(req.BusinessUnitIDs) == 0 || slices.Contains(req.BusinessUnitIDs, a.BusinessUnitID)) {
			pending = append(pending, a)
		}
	}
	ideal := map[int64]int64{}
	for _, u := range data.BusinessUnits {
		ideal[u.ID] = int64(u.IdealBookingPercentage)
	}
	def := int64(data.IdealBookingPercentage)
	if def == 0 {
		def = 100
	}
	var zipZones []int64
	if req.Zip != "" && data.Zones != nil {
		zipZones, _ = data.Zones.LookupZip(req.Zip)
	}

	type member struct {
		id         int64
		ideal      int64
		work, free interval.Set
	}
	techs := slices.Clone(data.Technicians)
	slices.SortFunc(techs, func(a, b capacity.Technician) int { return int(a.ID - b.ID) })
	var pool []member
	for _, t := range techs {
		if !t.Active || (len(req.BusinessUnitIDs) > 0 && !slices.Contains(req.BusinessUnitIDs, t.BusinessUnitID)) {
			continue
		}
		if req.SkillBasedAvailability && !t.HasSkills(jt.Skills) {
			continue
		}
		if req.Zip != "" && len(t.ZoneIDs) > 0 && !slices.ContainsFunc(t.ZoneIDs, func(z int64) bool { return slices.Contains(zipZones, z) }) {
			continue
		}
		w := open.Intersect(interval.New(normal[t.ID]...)).Difference(interval.New(off[t.ID]...))
		m := member{id: t.ID, ideal: ideal[t.BusinessUnitID], work: w, free: w.Difference(interval.New(busy[t.ID]...))}
		if m.ideal == 0 {
			m.ideal = def
		}
		pool = append(pool, m)
	}

	resp := &capacity.Response{StartsOnOrAfter: from, EndsOnOrBefore: to, Zone: loc}
	var day *capacity.Availability
	var date hours.Date = -1 << 30
	for _, w := range sched.Windows(from, to) {
		if w.Start < from || w.End > to || !w.AppliesTo(req.BusinessUnitIDs) {
			continue
		}
		tot := capacity.Totals{Duration: d}
		ids := []int64{}
		for _, m := range pool {
			c := m.work.MeasureIn(w.Start, w.End)
			tot.Capacity += c
			tot.Free += m.free.MeasureIn(w.Start, w.End)
			tot.IdealCapacity += m.ideal * c
			if run := m.free.LongestRun(w.Start, w.End); run > 0 && run >= d {
				ids = append(ids, m.id)
			}
		}
		for _, a := range pending {
			if ov := min(a.End, w.End) - max(a.Start, w.Start); ov > 0 {
				tot.Pending += ov
			}
		}
		if w.Date != date {
			resp.Availabilities = append(resp.Availabilities, capacity.Availability{Start: w.Start})
			day = &resp.Availabilities[len(resp.Availabilities)-1]
			date = w.Date
		}
		day.Timeslots = append(day.Timeslots, tot.Timeslot(w.Start, w.End, ids))
		day.End = w.End
	}
	return resp
}
