// Package benchdata builds the synthetic tenants benchmarks run on, once
// per process, and the standard requests over them.
package benchdata

import (
	"sync"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// Seed is the seed of every benchmark tenant.
const Seed = 1

var (
	mu    sync.Mutex
	cache = map[string]*tenant.File{}
)

// File returns the synthetic tenant file of the named profile, generated
// once per process.
func File(profile string) *tenant.File {
	mu.Lock()
	defer mu.Unlock()
	if f, ok := cache[profile]; ok {
		return f
	}
	p, err := synth.ProfileNamed(profile)
	if err != nil {
		panic(err)
	}
	f, err := synth.Generate(p, Seed)
	if err != nil {
		panic(err)
	}
	cache[profile] = f
	return f
}

// Clock is the clock of the benchmark tenants' engines: the Monday before
// the horizon, 09:00 UTC, always.
func Clock() time.Time {
	return time.Unix(hours.DayStart(time.UTC, synth.DefaultStart-7)+9*3600, 0).UTC()
}

// Tenant builds a fresh tenant of the named profile, its engine stamping
// changes with [Clock].
func Tenant(profile string) *tenant.Tenant {
	t, err := tenant.Build(File(profile), capacity.WithClock(Clock))
	if err != nil {
		panic(err)
	}
	return t
}

// Days is the horizon of every profile.
const Days = 14

// FullRequest is a request over the whole two-week horizon, with the
// given job type (0 for none).
func FullRequest(e *capacity.Engine, jobType int64) capacity.Request {
	loc := e.Location()
	start := synth.DefaultStart
	return capacity.Request{
		StartsOnOrAfter: time.Unix(hours.DayStart(loc, start), 0),
		EndsOnOrBefore:  time.Unix(hours.DayStart(loc, start+Days), 0),
		JobTypeID:       jobType,
	}
}

// DayRequest is a request over the horizon's second day (a Tuesday).
func DayRequest(e *capacity.Engine, jobType int64) capacity.Request {
	loc := e.Location()
	d := synth.DefaultStart + 1
	return capacity.Request{
		StartsOnOrAfter: time.Unix(hours.DayStart(loc, d), 0),
		EndsOnOrBefore:  time.Unix(hours.DayStart(loc, d+1), 0),
		JobTypeID:       jobType,
	}
}

// HourJobType returns the id of a job type of the tenant lasting 60
// minutes, or the shortest one.
func HourJobType(f *tenant.File) int64 {
	best := f.JobTypes[0]
	for _, j := range f.JobTypes {
		if j.DurationMinutes == 60 {
			return j.ID
		}
		if j.DurationMinutes < best.DurationMinutes {
			best = j
		}
	}
	return best.ID
}

// Controlled returns the records of the named profile with every capacity
// control of DESIGN §4a set, deterministically, in place of the profile's
// own (synth's groups, reserves, rules and adjustments): units 1 and 2 form a
// group sharing their technicians (ideal 85%, reserve 15%), the other
// units reserve 10%; the tenant's travel buffer is 15 minutes, the first
// job type of each unit is a priority one with no buffer; every date of
// the horizon has four adjustments, in minutes per technician of the
// tenant (3 for the whole pool on its first window, 1 for unit 3 on its
// second, 2 for the group on its third, and −90 for the pool on its last,
// which exhausts it); and two rules cap the share of a window some job
// types take — the longest job type of each unit at 40%, and the
// 60-minute job type of [HourJobType] at 15% for units 1 and 2 — so that
// a request with that job type meets a rule, the reserve and the buffer.
func Controlled(profile string) capacity.Data {
	f := File(profile)
	d := Tenant(profile).Engine.Data()
	d.BusinessUnitGroups, d.CapacityRules, d.CapacityAdjustments = nil, nil, nil
	for i := range d.BusinessUnits {
		d.BusinessUnits[i].ReservePercentage = 0
	}
	loc := d.Schedule.Location()
	fifteen, ten, zero := 15, 10, 0
	units := []int64{}
	for i := range d.BusinessUnits {
		units = append(units, d.BusinessUnits[i].ID)
		if i >= 2 {
			d.BusinessUnits[i].ReservePercentage = ten
		}
	}
	d.BusinessUnitGroups = []capacity.BusinessUnitGroup{{ID: 1, Name: "Service and maintenance", BusinessUnitIDs: units[:2],
		IdealBookingPercentage: 85, ReservePercentage: &fifteen}}
	d.TravelBufferMinutes = 15
	hour := HourJobType(f)
	longest := map[int64]capacity.JobType{}
	seen := map[int64]bool{}
	for i := range d.JobTypes {
		j := &d.JobTypes[i]
		u := j.BusinessUnitIDs[0]
		if !seen[u] && j.ID != hour {
			j.Priority, j.TravelBufferMinutes = true, &zero
			seen[u] = true
		}
		if l, ok := longest[u]; !ok || j.DurationMinutes > l.DurationMinutes {
			longest[u] = *j
		}
	}
	installs := capacity.Rule{ID: 1, Name: "Installs", MaxPercentage: 40}
	for _, u := range units {
		if j := longest[u].ID; j != hour {
			installs.JobTypeIDs = append(installs.JobTypeIDs, j)
		}
	}
	if len(installs.JobTypeIDs) > 0 {
		d.CapacityRules = append(d.CapacityRules, installs)
	}
	d.CapacityRules = append(d.CapacityRules, capacity.Rule{ID: 2, Name: "Routine", JobTypeIDs: []int64{hour}, BusinessUnitIDs: units[:2], MaxPercentage: 15})
	id := int64(0)
	n := len(d.Technicians)
	for day := range Days {
		date := synth.DefaultStart + hours.Date(day)
		ws := d.Schedule.WindowsOn(nil, date)
		if len(ws) == 0 {
			continue
		}
		add := func(w hours.Window, minutes int, unit, group int64) {
			id++
			d.CapacityAdjustments = append(d.CapacityAdjustments, capacity.Adjustment{ID: id, Date: date, From: w.Slot.From, To: w.Slot.To,
				BusinessUnitID: unit, BusinessUnitGroupID: group, Minutes: minutes, Reason: "benchmark", CreatedOn: time.Unix(hours.DayStart(loc, date)-86400, 0)})
		}
		add(ws[0], 3*n, 0, 0)
		if len(units) > 2 {
			add(ws[1%len(ws)], n, units[2], 0)
		}
		add(ws[2%len(ws)], 2*n, 0, 1)
		add(ws[len(ws)-1], -90*n, 0, 0)
	}
	return d
}
