// Package lean is the direct single-pass computation of a capacity answer
// from the raw records: what a Go programmer who needs one answer, once,
// would write — no index, no incremental state, nothing kept. The
// engine's build plus its first query is measured against it
// (bench: BuildFirstQuery): building an engine that answers later
// requests in microseconds should cost no more than answering the first
// request directly.
//
// It is lean, not general: it answers requests that name no business
// unit, skill or zip, over tenants without business-unit groups,
// adjustments or capacity rules — the synthetic profiles' full requests,
// with or without a job type. Percentages (ideal and reserve per unit),
// travel buffers and priority job types are applied. It derives every
// figure itself, from DESIGN §4; it shares no code with the engine beyond
// the record types, the interval algebra and the schedule's windows.
package lean

import (
	"cmp"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
)

// Scoped returns d without what the lean computation leaves out of its
// scope: business-unit groups, capacity adjustments and capacity rules.
// The synthetic profiles set all three; the comparison with the engine
// runs both on the records Scoped returns. Groups are dropped with their
// reserve, so each unit's own percentages apply.
func Scoped(d capacity.Data) capacity.Data {
	d.BusinessUnitGroups, d.CapacityAdjustments, d.CapacityRules = nil, nil, nil
	return d
}

// Capacity answers req over d in one pass over the records.
//
// It panics when req or d is outside its scope (see the package
// documentation): a programmer error of the benchmark or test calling it.
func Capacity(d *capacity.Data, req capacity.Request) *capacity.Response {
	if len(req.BusinessUnitIDs) > 0 || req.SkillBasedAvailability || req.Zip != "" ||
		len(d.BusinessUnitGroups) > 0 || len(d.CapacityAdjustments) > 0 || len(d.CapacityRules) > 0 {
		panic("lean: request or tenant outside the lean computation's scope")
	}
	sched := d.Schedule
	from, to := req.StartsOnOrAfter.Unix(), req.EndsOnOrBefore.Unix()

	// The job: d' is its duration plus its travel buffer; 0 without one.
	var dPrime int64
	priority := false
	for _, j := range d.JobTypes {
		if j.ID == req.JobTypeID {
			buffer := d.TravelBufferMinutes
			if j.TravelBufferMinutes != nil {
				buffer = *j.TravelBufferMinutes
			}
			dPrime, priority = int64(j.DurationMinutes+buffer)*60, j.Priority
		}
	}

	// The request's windows, in time order.
	var ws []hours.Window
	for _, w := range sched.Windows(from, to) {
		if w.Start >= from && w.End <= to {
			ws = append(ws, w)
		}
	}

	// Percentages per unit.
	tenantIdeal := int64(100)
	if d.IdealBookingPercentage != 0 {
		tenantIdeal = int64(d.IdealBookingPercentage)
	}
	type pct struct{ ideal, reserve int64 }
	unitPct := make(map[int64]pct, len(d.BusinessUnits))
	for _, u := range d.BusinessUnits {
		p := pct{tenantIdeal, int64(u.ReservePercentage)}
		if u.IdealBookingPercentage != 0 {
			p.ideal = int64(u.IdealBookingPercentage)
		}
		unitPct[u.ID] = p
	}

	// Technicians by id; each one's shifts and busy spans gathered in one
	// pass over the records.
	n := len(d.Technicians)
	techIdx := make(map[int64]int32, n)
	for i, t := range d.Technicians {
		techIdx[t.ID] = int32(i)
	}
	normal := make([][]interval.Span, n)
	off := make([][]interval.Span, n)
	lo, hi := int64(1<<62), int64(-1<<62)
	for _, sh := range d.Shifts {
		if !sh.IsActive() {
			continue
		}
		i, ok := techIdx[sh.TechnicianID]
		if !ok {
			continue
		}
		sp := interval.Span{Start: sh.Start.Unix(), End: sh.End.Unix()}
		switch sh.Type {
		case shifts.Normal:
			normal[i] = append(normal[i], sp)
			lo, hi = min(lo, sh.Start.Unix()), max(hi, sh.End.Unix())
		case shifts.TimeOff:
			off[i] = append(off[i], sp)
		}
	}
	apptIdx := make(map[int64]int32, len(d.Appointments))
	for i, a := range d.Appointments {
		if !a.Canceled {
			apptIdx[a.ID] = int32(i)
		}
	}
	busy := make([][]interval.Span, n)
	assigned := make([]bool, len(d.Appointments))
	for _, as := range d.Assignments {
		if as.Status != capacity.Assigned {
			continue
		}
		k, ok := apptIdx[as.AppointmentID]
		i, ok2 := techIdx[as.TechnicianID]
		if !ok || !ok2 {
			continue
		}
		a := &d.Appointments[k]
		busy[i] = append(busy[i], interval.Span{Start: a.Start.Unix(), End: a.End.Unix()})
		assigned[k] = true
	}

	// Pending work per window: the unassigned appointments, in start
	// order, each window reading those that can meet it.
	var pending []interval.Span
	var longest int64
	for k, a := range d.Appointments {
		if !a.Canceled && !assigned[k] && a.End.Unix() > a.Start.Unix() {
			pending = append(pending, interval.Span{Start: a.Start.Unix(), End: a.End.Unix()})
			longest = max(longest, a.End.Unix()-a.Start.Unix())
		}
	}
	slices.SortFunc(pending, func(x, y interval.Span) int { return cmp.Compare(x.Start, y.Start) })

	// Per window: the sums over technicians and the fitting ones.
	type sums struct{ cap, free, ideal, reserve, pend int64 }
	tot := make([]sums, len(ws))
	ids := make([][]int64, len(ws))
	for k, w := range ws {
		p := &tot[k]
		j, _ := slices.BinarySearchFunc(pending, w.Start-longest, func(x interval.Span, s int64) int { return cmp.Compare(x.Start, s) })
		for ; j < len(pending) && pending[j].Start < w.End; j++ {
			p.pend += max(0, min(pending[j].End, w.End)-max(pending[j].Start, w.Start))
		}
	}
	open := interval.Set{}
	if lo < hi {
		open = sched.Open(lo, hi)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return cmp.Compare(d.Technicians[x].ID, d.Technicians[y].ID) })
	need := max(dPrime, 1) // a run fits when it is positive and at least d'
	for _, i := range order {
		t := &d.Technicians[i]
		if !t.IsActive() || len(normal[i]) == 0 {
			continue
		}
		p := unitPct[t.BusinessUnitID]
		// W = open ∩ Normal − TimeOff; F = W − busy.
		work := open.Intersect(interval.New(normal[i]...))
		if len(off[i]) > 0 {
			work = work.Difference(interval.New(off[i]...))
		}
		free := work
		if len(busy[i]) > 0 {
			free = work.Difference(interval.New(busy[i]...))
		}
		// One forward walk over W and F serves the windows in start order.
		wi, fi := 0, 0
		for k := range ws {
			s, e := ws[k].Start, ws[k].End
			for wi < work.Len() && work.At(wi).End <= s {
				wi++
			}
			for fi < free.Len() && free.At(fi).End <= s {
				fi++
			}
			var c, f, run int64
			for j := wi; j < work.Len() && work.At(j).Start < e; j++ {
				sp := work.At(j)
				c += min(sp.End, e) - max(sp.Start, s)
			}
			for j := fi; j < free.Len() && free.At(j).Start < e && s < e; j++ {
				sp := free.At(j)
				f += min(sp.End, e) - max(sp.Start, s)
				run = max(run, sp.End-max(sp.Start, s))
			}
			q := &tot[k]
			q.cap += c
			q.free += f
			q.ideal += p.ideal * c
			q.reserve += p.reserve * c
			if run >= need {
				ids[k] = append(ids[k], t.ID)
			}
		}
	}

	// The timeslots, grouped by local date, in time order within it.
	loc := sched.Location()
	resp := &capacity.Response{StartsOnOrAfter: time.Unix(from, 0).In(loc), EndsOnOrBefore: time.Unix(to, 0).In(loc), Zone: loc}
	slots := make([]capacity.Timeslot, len(ws))
	for k, w := range ws {
		q := &tot[k]
		var rv int64
		if !priority {
			rv = q.reserve / 100
		}
		booked := q.cap - q.free
		pool := q.free - q.pend
		ts := capacity.Timeslot{
			Start:                             time.Unix(w.Start, 0).In(loc),
			End:                               time.Unix(w.End, 0).In(loc),
			TechnicianIDs:                     ids[k],
			IsAvailable:                       len(ids[k]) > 0 && pool-rv > 0,
			IsExceedingIdealBookingPercentage: (booked+q.pend+dPrime)*100 > q.ideal,
			TotalAvailability:                 max(0, pool-rv) / 60,
			CapacityMinutes:                   max(0, q.cap) / 60,
			BookedMinutes:                     booked / 60,
			PendingMinutes:                    q.pend / 60,
		}
		if ts.TechnicianIDs == nil {
			ts.TechnicianIDs = []int64{}
		}
		if !ts.IsAvailable {
			ts.UnavailableBecause = capacity.Reasons{NoTechnicianFits: len(ids[k]) == 0, PoolExhausted: pool <= 0, ReserveHeld: pool > 0 && pool-rv <= 0}
		}
		slots[k] = ts
	}
	for k := 0; k < len(ws); {
		end := k + 1
		for end < len(ws) && ws[end].Date == ws[k].Date {
			end++
		}
		day := slots[k:end:end]
		slices.SortStableFunc(day, func(a, b capacity.Timeslot) int {
			return cmp.Or(a.Start.Compare(b.Start), a.End.Compare(b.End))
		})
		resp.Availabilities = append(resp.Availabilities, capacity.Availability{Start: day[0].Start, End: day[len(day)-1].End, Timeslots: day})
		k = end
	}
	return resp
}
