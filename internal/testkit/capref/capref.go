// Package capref is the slow, obviously correct reference for the capacity
// computation, DESIGN §4 with the controls of §4a: it follows the
// definition step by step on minute bitmaps, recomputing everything from
// the raw records on every request, and shares no code with the engine
// beyond the wall-clock conversion (hours.Local) and the record types.
// Tests assert engine == reference.
//
// A canceled appointment is left out, as the definition's records do not
// include it: it consumes nothing.
//
// It needs minute-aligned instants: every shift, appointment and request
// bound must be a whole minute, as they are in the generated tenants.
package capref

import (
	"cmp"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
)

type window struct {
	date       hours.Date
	start, end int64
	id         int64
}

// rawSlots returns the business-hours slots of date d from the raw rules:
// the exception for d if there is one, else the weekday's slots.
func rawSlots(r hours.Rules, d hours.Date) []hours.Slot {
	var src []hours.TimeSlot
	found := false
	for _, ex := range r.Exceptions {
		if hours.MustParseDate(ex.Date) == d {
			src, found = ex.TimeSlots, true
		}
	}
	if !found {
		for _, wd := range r.BusinessHours.Weekdays {
			if wd.Weekday == d.Weekday().String() {
				src = wd.TimeSlots
			}
		}
	}
	var out []hours.Slot
	for _, ts := range src {
		s, err := hours.ParseSlot(ts)
		if err != nil {
			panic(err)
		}
		out = append(out, s)
	}
	return out
}

func applies(units, requested []int64) bool {
	if len(units) == 0 || len(requested) == 0 {
		return true
	}
	for _, u := range units {
		if slices.Contains(requested, u) {
			return true
		}
	}
	return false
}

// groupOf returns the group that lists unit u, or nil.
func groupOf(data *capacity.Data, u int64) *capacity.BusinessUnitGroup {
	for i, g := range data.BusinessUnitGroups {
		if slices.Contains(g.BusinessUnitIDs, u) {
			return &data.BusinessUnitGroups[i]
		}
	}
	return nil
}

// unitsStar returns R* (DESIGN §4a item 8): the requested units and every
// unit that shares a group with one of them; nil when none is requested,
// which stands for every unit.
func unitsStar(data *capacity.Data, requested []int64) []int64 {
	var out []int64
	for _, u := range requested {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
		if g := groupOf(data, u); g != nil {
			for _, v := range g.BusinessUnitIDs {
				if !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// Capacity answers req over data the obvious way. req must be valid.
func Capacity(data capacity.Data, req capacity.Request) *capacity.Response {
	sched := data.Schedule
	loc := sched.Location()
	rules := sched.Rules()
	from, to := req.StartsOnOrAfter.Unix(), req.EndsOnOrBefore.Unix()
	rstar := unitsStar(&data, req.BusinessUnitIDs)
	inStar := func(u int64) bool { return len(req.BusinessUnitIDs) == 0 || slices.Contains(rstar, u) }

	// Step 1: timeslots per local date.
	var active []hours.ArrivalWindow
	for _, w := range rules.ArrivalWindows {
		if w.IsActive() {
			active = append(active, w)
		}
	}
	type dated struct {
		date hours.Date
		ws   []window
	}
	var days []dated
	for d := hours.DateAt(loc, from); d <= hours.DateAt(loc, to-1); d++ {
		open := rawSlots(rules, d)
		if len(open) == 0 {
			continue
		}
		var ws []window
		if len(active) == 0 {
			for _, s := range open {
				ws = append(ws, window{start: hours.Local(loc, d, s.From), end: hours.Local(loc, d, s.To)})
			}
		} else {
			for _, aw := range active {
				if len(aw.Weekdays) > 0 && !slices.Contains(aw.Weekdays, d.Weekday().String()) {
					continue
				}
				if !applies(aw.BusinessUnitIDs, rstar) {
					continue
				}
				s, _ := hours.ParseSlot(hours.TimeSlot{From: aw.From, To: aw.To})
				ws = append(ws, window{start: hours.Local(loc, d, s.From), end: hours.Local(loc, d, s.To), id: aw.ID})
			}
		}
		for i := range ws {
			ws[i].date = d
		}
		var kept []window
		for _, w := range ws {
			if w.start >= from && w.end <= to {
				kept = append(kept, w)
			}
		}
		slices.SortStableFunc(kept, func(a, b window) int {
			if a.start != b.start {
				return cmp.Compare(a.start, b.start)
			}
			if a.end != b.end {
				return cmp.Compare(a.end, b.end)
			}
			return cmp.Compare(a.id, b.id)
		})
		if len(kept) > 0 {
			days = append(days, dated{d, kept})
		}
	}

	// The bitmap covers every instant any record or slot touches.
	lo, hi := from, to
	for _, sh := range data.Shifts {
		lo, hi = min(lo, sh.Start.Unix()), max(hi, sh.End.Unix())
	}
	for _, a := range data.Appointments {
		lo, hi = min(lo, a.Start.Unix()), max(hi, a.End.Unix())
	}
	lo -= 86400
	hi += 86400
	minutes := int((hi - lo) / 60)
	at := func(u int64) int { return int((u - lo) / 60) }

	// Business hours as minutes.
	open := make([]bool, minutes)
	for d := hours.DateAt(loc, lo); d <= hours.DateAt(loc, hi-1); d++ {
		for _, s := range rawSlots(rules, d) {
			for m := max(at(hours.Local(loc, d, s.From)), 0); m < min(at(hours.Local(loc, d, s.To)), minutes); m++ {
				open[m] = true
			}
		}
	}

	var jt *capacity.JobType
	for i := range data.JobTypes {
		if data.JobTypes[i].ID == req.JobTypeID {
			jt = &data.JobTypes[i]
		}
	}
	d := 0 // job duration plus travel buffer (d'), in minutes
	if jt != nil {
		d = jt.DurationMinutes + data.TravelBufferMinutes
		if jt.TravelBufferMinutes != nil {
			d = jt.DurationMinutes + *jt.TravelBufferMinutes
		}
	}

	// Step 2: eligible technicians, ascending by id.
	techs := slices.Clone(data.Technicians)
	slices.SortFunc(techs, func(a, b capacity.Technician) int { return cmp.Compare(a.ID, b.ID) })
	var zipZones []int64
	if req.Zip != "" && data.Zones != nil {
		zipZones, _ = data.Zones.LookupZip(req.Zip)
	}
	tenantIdeal := func() int64 {
		if data.IdealBookingPercentage != 0 {
			return int64(data.IdealBookingPercentage)
		}
		return 100
	}
	idealOf := func(unit int64) int64 {
		if g := groupOf(&data, unit); g != nil && g.IdealBookingPercentage != 0 {
			return int64(g.IdealBookingPercentage)
		}
		for _, u := range data.BusinessUnits {
			if u.ID == unit && u.IdealBookingPercentage != 0 {
				return int64(u.IdealBookingPercentage)
			}
		}
		return tenantIdeal()
	}
	reserveOf := func(unit int64) int64 {
		if g := groupOf(&data, unit); g != nil && g.ReservePercentage != nil {
			return int64(*g.ReservePercentage)
		}
		for _, u := range data.BusinessUnits {
			if u.ID == unit {
				return int64(u.ReservePercentage)
			}
		}
		return 0
	}
	// A canceled appointment consumes nothing: busy for no one, not
	// pending, not counted by rules.
	var live []capacity.Appointment
	canceled := map[int64]bool{}
	for _, a := range data.Appointments {
		if a.Canceled {
			canceled[a.ID] = true
		} else {
			live = append(live, a)
		}
	}
	// Records grouped once, so the reference stays usable as a benchmark
	// baseline on large tenants.
	assigned := map[int64][]int64{} // appointment → technicians assigned now
	for _, as := range data.Assignments {
		if as.Status == capacity.Assigned && !canceled[as.AppointmentID] {
			assigned[as.AppointmentID] = append(assigned[as.AppointmentID], as.TechnicianID)
		}
	}
	assignedTo := func(apptID int64) []int64 { return assigned[apptID] }
	shiftsOf := map[int64][]shifts.Shift{}
	for _, sh := range data.Shifts {
		shiftsOf[sh.TechnicianID] = append(shiftsOf[sh.TechnicianID], sh)
	}
	apptsOf := map[int64][]capacity.Appointment{}
	for _, a := range live {
		for _, tech := range assigned[a.ID] {
			apptsOf[tech] = append(apptsOf[tech], a)
		}
	}

	type techMaps struct {
		id       int64
		ideal    int64
		reserve  int64
		work, bz []bool
	}
	var pool []techMaps
	for _, t := range techs {
		if !t.IsActive() {
			continue
		}
		if !inStar(t.BusinessUnitID) {
			continue
		}
		if req.SkillBasedAvailability {
			ok := true
			for _, s := range jt.Skills {
				ok = ok && slices.Contains(t.Skills, s)
			}
			if !ok {
				continue
			}
		}
		if req.Zip != "" && len(t.ZoneIDs) > 0 {
			serves := false
			for _, z := range t.ZoneIDs {
				serves = serves || slices.Contains(zipZones, z)
			}
			if !serves {
				continue
			}
		}
		// Steps 3–4: W(t) and Bz(t) minute by minute.
		normal := make([]bool, minutes)
		off := make([]bool, minutes)
		for _, sh := range shiftsOf[t.ID] {
			if !sh.IsActive() {
				continue
			}
			for m := at(sh.Start.Unix()); m < at(sh.End.Unix()); m++ {
				switch sh.Type {
				case shifts.Normal:
					normal[m] = true
				case shifts.TimeOff:
					off[m] = true
				}
			}
		}
		tm := techMaps{id: t.ID, ideal: idealOf(t.BusinessUnitID), reserve: reserveOf(t.BusinessUnitID), work: make([]bool, minutes), bz: make([]bool, minutes)}
		for m := range minutes {
			tm.work[m] = open[m] && normal[m] && !off[m]
		}
		for _, a := range apptsOf[t.ID] {
			for m := at(a.Start.Unix()); m < at(a.End.Unix()); m++ {
				tm.bz[m] = true
			}
		}
		pool = append(pool, tm)
	}

	resp := &capacity.Response{StartsOnOrAfter: time.Unix(from, 0).In(loc), EndsOnOrBefore: time.Unix(to, 0).In(loc), Zone: loc}
	for _, day := range days {
		var av capacity.Availability
		for _, w := range day.ws {
			s, e := at(w.start), at(w.end)
			var capSum, bookedSum, idealSum, reserveSum int64
			ids := []int64{}
			for _, tm := range pool {
				free := func(m int) bool { return m >= 0 && m < minutes && tm.work[m] && !tm.bz[m] }
				var c, b int64
				for m := s; m < e; m++ {
					if tm.work[m] {
						c += 60
						if tm.bz[m] {
							b += 60
						}
					}
				}
				capSum += c
				bookedSum += b
				idealSum += tm.ideal * c
				reserveSum += tm.reserve * c
				fits := false
				for a := s; a < e && !fits; a++ {
					ok := free(a)
					for m := a; ok && m < a+d; m++ {
						ok = free(m)
					}
					fits = ok
				}
				if fits {
					ids = append(ids, tm.id)
				}
			}
			var pending int64
			for _, a := range live {
				if !inStar(a.BusinessUnitID) {
					continue
				}
				if len(assignedTo(a.ID)) > 0 {
					continue
				}
				if ov := min(a.End.Unix(), w.end) - max(a.Start.Unix(), w.start); ov > 0 {
					pending += ov
				}
			}

			// Item 10: the adjustments of this date whose bounds, converted
			// on it, are the timeslot's, and whose unit or group meets R*.
			var adj, adjIdeal int64
			for _, a := range data.CapacityAdjustments {
				if a.Date != day.date || hours.Local(loc, a.Date, a.From) != w.start || hours.Local(loc, a.Date, a.To) != w.end {
					continue
				}
				pct := tenantIdeal()
				if a.BusinessUnitID != 0 {
					if !inStar(a.BusinessUnitID) {
						continue
					}
					pct = idealOf(a.BusinessUnitID)
				}
				if a.BusinessUnitGroupID != 0 {
					var g *capacity.BusinessUnitGroup
					for i := range data.BusinessUnitGroups {
						if data.BusinessUnitGroups[i].ID == a.BusinessUnitGroupID {
							g = &data.BusinessUnitGroups[i]
						}
					}
					if g == nil || !slices.ContainsFunc(g.BusinessUnitIDs, inStar) {
						continue
					}
					if g.IdealBookingPercentage != 0 {
						pct = int64(g.IdealBookingPercentage)
					}
				}
				adj += int64(a.Minutes) * 60
				adjIdeal += pct * int64(a.Minutes) * 60
			}

			// Item 12: minute by minute, the time the rule's job types take
			// in the window.
			dur := int64(d) * 60
			blocking := []int64{}
			if jt != nil {
				byID := slices.Clone(data.CapacityRules)
				slices.SortFunc(byID, func(a, b capacity.Rule) int { return cmp.Compare(a.ID, b.ID) })
				for _, r := range byID {
					if !slices.Contains(r.JobTypeIDs, jt.ID) {
						continue
					}
					if len(r.BusinessUnitIDs) > 0 && len(req.BusinessUnitIDs) > 0 && !slices.ContainsFunc(r.BusinessUnitIDs, inStar) {
						continue
					}
					var used int64
					for _, a := range live {
						if !slices.Contains(r.JobTypeIDs, a.JobTypeID) || !inStar(a.BusinessUnitID) {
							continue
						}
						for m := w.start; m < w.end; m += 60 {
							if a.Start.Unix() <= m && m < a.End.Unix() {
								used += 60
							}
						}
					}
					if (used+dur)*100 > int64(r.MaxPercentage)*max(0, capSum+adj) {
						blocking = append(blocking, r.ID)
					}
				}
			}

			// Item 11: the reserve, for requests without a priority job.
			var reserve int64
			if jt == nil || !jt.Priority {
				reserve = reserveSum / 100
			}
			freeSum := capSum - bookedSum
			pool := freeSum + adj - pending
			ts := capacity.Timeslot{
				Start:             time.Unix(w.start, 0).In(loc),
				End:               time.Unix(w.end, 0).In(loc),
				TechnicianIDs:     ids,
				IsAvailable:       len(ids) > 0 && pool-reserve > 0 && len(blocking) == 0,
				TotalAvailability: max(0, pool-reserve) / 60,
				CapacityMinutes:   max(0, capSum+adj) / 60,
				BookedMinutes:     bookedSum / 60,
				PendingMinutes:    pending / 60,
				// No special case for zero capacity (DESIGN §4 step 6).
				IsExceedingIdealBookingPercentage: (bookedSum+pending+dur)*100 > idealSum+adjIdeal,
			}
			if !ts.IsAvailable {
				why := capacity.Reasons{NoTechnicianFits: len(ids) == 0, PoolExhausted: pool <= 0, ReserveHeld: pool > 0 && pool-reserve <= 0}
				if len(blocking) > 0 {
					why.CapacityRules = blocking
				}
				ts.UnavailableBecause = why
			}
			av.Timeslots = append(av.Timeslots, ts)
		}
		av.Start = av.Timeslots[0].Start
		av.End = av.Timeslots[len(av.Timeslots)-1].End
		resp.Availabilities = append(resp.Availabilities, av)
	}
	return resp
}
