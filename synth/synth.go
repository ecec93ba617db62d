// Package synth generates deterministic synthetic tenants from a profile
// and a seed, for benchmarks, load tests and demos.
//
// The same profile and seed give a byte-identical tenant file on any
// machine: randomness comes from a PCG source seeded from (seed, profile
// size), never from the global source, and no map order reaches the output.
//
// # Structure
//
// A tenant has 2–6 business units with ideal booking percentages; job
// types of 30–240 minutes with the skills of their trade; zones of three
// zips each; weekday business hours 07:00–18:00 (Saturday 08:00–12:00)
// and two-hour arrival windows 08–10, 10–12, 12–14 and 14–16 on weekdays;
// weekly 07:00–17:00 shifts (recurring, so they keep their wall-clock hours
// across the DST change in the default horizon) with some time off and
// on-call, except for about one technician in forty, drawn at random, who
// is inactive and has no shifts and no work; two weeks of appointments filling each working
// day to 60–90% with some left unassigned; and GPS pings for the first
// day. The capacity controls of DESIGN §4a are set as a contractor of
// those trades would (see [Generate]): a travel buffer, an
// emergency job type per unit, same-trade units grouped, a reserve on the
// HVAC service pool, an installs cap and a few adjustments a week.
//
// # Soundness
//
// The book is one a dispatcher could have made, and the tests check it
// for every profile and the demo: each appointment starts inside its
// arrival window, one of the tenant's windows that day for its business
// unit, and lasts its job type's duration; each technician assigned to it
// is active, of its unit, serves its zip, is working (business hours ∩
// shifts − time off) the whole time and is on nothing else then. The demo
// also gives jobs only to technicians holding their skills; synthetic
// tenants book like a tenant that does not dispatch by skill.
package synth

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/zones"
)

// Profile sizes a synthetic tenant.
type Profile struct {
	Name        string
	Technicians int
	Days        int        // horizon length
	Start       hours.Date // first date of the horizon (a Monday)
	TimeZone    string
}

// DefaultStart is Monday 2027-03-08: the two weeks from it include the US
// spring-forward change on 2027-03-14.
var DefaultStart = hours.MustParseDate("2027-03-08")

// Profiles are the built-in sizes, smallest first.
var Profiles = []Profile{
	{Name: "small", Technicians: 10, Days: 14, Start: DefaultStart, TimeZone: "America/Denver"},
	{Name: "medium", Technicians: 100, Days: 14, Start: DefaultStart, TimeZone: "America/Denver"},
	{Name: "large", Technicians: 1000, Days: 14, Start: DefaultStart, TimeZone: "America/Denver"},
	{Name: "enterprise", Technicians: 10000, Days: 14, Start: DefaultStart, TimeZone: "America/Denver"},
}

// ProfileNamed returns the built-in profile with the given name.
func ProfileNamed(name string) (Profile, error) {
	for _, p := range Profiles {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(Profiles))
	for i, p := range Profiles {
		names[i] = p.Name
	}
	return Profile{}, fmt.Errorf("synth: unknown profile %q (want one of %s)", name, strings.Join(names, ", "))
}

type trade struct {
	unit   string
	skill  string
	jobs   []string
	extras []string
}

var trades = []trade{
	{"HVAC Service", "HVAC", []string{"AC Repair", "Furnace Tune-up", "Heat Pump Diagnosis", "Thermostat Install"}, []string{"EPA 608"}},
	{"Plumbing", "Plumbing", []string{"Leak Repair", "Water Heater Install", "Fixture Replacement", "Repipe Estimate"}, []string{"Backflow"}},
	{"Electrical", "Electrical", []string{"Panel Upgrade", "Outlet Repair", "EV Charger Install", "Lighting Retrofit"}, []string{"Master License"}},
	{"Drains", "Drains", []string{"Drain Cleaning", "Camera Inspection", "Hydro Jetting"}, []string{"Jetter"}},
	{"HVAC Install", "HVAC", []string{"System Replacement", "Ductwork Install", "Mini-split Install"}, []string{"EPA 608"}},
	{"Generators", "Electrical", []string{"Generator Service", "Transfer Switch Install"}, []string{"Generac"}},
}

var firstNames = []string{"Ana", "Ben", "Carla", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Marco", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tia", "Uri", "Vera", "Wes", "Xia", "Yusuf", "Zoe"}
var lastNames = []string{"Ruiz", "Okafor", "Nguyen", "Schmidt", "Patel", "Kowalski", "Haddad", "Larsen", "Moreau", "Tanaka", "Silva", "Brennan", "Yilmaz", "Novak", "Garcia", "Ibrahim"}

// Generate returns the tenant file for profile p and seed. Its capacity
// controls: a 15-minute travel buffer; an emergency (priority) job type
// per unit that the book does not use; HVAC Service grouped with HVAC
// Install and Electrical with Generators when the tenant has both; a 15%
// reserve on the HVAC service pool; installs, replacements and upgrades
// capped at 40% of a window; and, each week, Monday's first window
// overbooked for HVAC Service, Wednesday's second for the HVAC group, and
// Friday's last held back for everyone.
func Generate(p Profile, seed uint64) (*tenant.File, error) {
	loc, err := hours.LoadLocation(p.TimeZone)
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, uint64(p.Technicians)))
	inLoc := func(u int64) time.Time { return time.Unix(u, 0).In(loc) }
	f := &tenant.File{
		Version:                tenant.Version,
		Tenant:                 fmt.Sprintf("synth-%s-%d", p.Name, seed),
		TimeZone:               p.TimeZone,
		IdealBookingPercentage: 85,
		Exceptions:             []hours.Exception{},
	}
	for _, wd := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} {
		f.BusinessHours.Weekdays = append(f.BusinessHours.Weekdays, hours.WeekdayHours{Weekday: wd, TimeSlots: []hours.TimeSlot{{From: "07:00", To: "18:00"}}})
	}
	f.BusinessHours.Weekdays = append(f.BusinessHours.Weekdays, hours.WeekdayHours{Weekday: "Saturday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "12:00"}}})
	weekdays := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	for i, w := range [][2]string{{"08:00", "10:00"}, {"10:00", "12:00"}, {"12:00", "14:00"}, {"14:00", "16:00"}} {
		f.ArrivalWindows = append(f.ArrivalWindows, hours.ArrivalWindow{ID: int64(i + 1), From: w[0], To: w[1], Weekdays: weekdays, BusinessUnitIDs: []int64{}})
	}

	// Business units and their job types.
	nUnits := 2 + r.IntN(5)
	type unitJobs struct {
		skill string
		jobs  []capacity.JobType
	}
	var units []unitJobs
	for i := range nUnits {
		tr := trades[i]
		id := int64(i + 1)
		f.BusinessUnits = append(f.BusinessUnits, capacity.BusinessUnit{ID: id, Name: tr.unit, IdealBookingPercentage: 70 + 5*r.IntN(7)})
		u := unitJobs{skill: tr.skill}
		for j, name := range tr.jobs {
			jt := capacity.JobType{ID: id*100 + int64(j+1), Name: name, DurationMinutes: 30 * (1 + r.IntN(8)),
				Skills: []string{tr.skill}, BusinessUnitIDs: []int64{id}}
			if r.IntN(3) == 0 {
				jt.Skills = append(jt.Skills, tr.extras[0])
			}
			u.jobs = append(u.jobs, jt)
			f.JobTypes = append(f.JobTypes, jt)
		}
		units = append(units, u)
	}

	// Zones of three zips each, around Denver.
	nZones := max(2, p.Technicians/25)
	for z := range nZones {
		base := 80000 + 3*z
		f.Zones = append(f.Zones, zones.Zone{ID: int64(z + 1), Name: fmt.Sprintf("Zone %d", z+1),
			Zips: []string{fmt.Sprintf("%05d", base), fmt.Sprintf("%05d", base+1), fmt.Sprintf("%05d", base+2)}, Cities: []string{}})
	}

	// Technicians.
	type techInfo struct {
		id   int64
		unit int
		home capacity.Point
		zone int
	}
	techs := make([]techInfo, p.Technicians)
	for i := range techs {
		u := r.IntN(nUnits)
		zone := r.IntN(nZones)
		t := techInfo{id: int64(1001 + i), unit: u, zone: zone,
			home: capacity.Point{Latitude: round6(39.6 + 0.3*r.Float64()), Longitude: round6(-105.1 + 0.35*r.Float64())}}
		techs[i] = t
		skills := []string{units[u].skill}
		if r.IntN(2) == 0 {
			skills = append(skills, trades[u].extras[0])
		}
		zoneIDs := []int64{int64(zone + 1)}
		if r.IntN(3) == 0 && nZones > 1 {
			zoneIDs = append(zoneIDs, int64((zone+1)%nZones+1))
			slices.Sort(zoneIDs)
		}
		active := r.IntN(40) != 0
		home := t.home
		f.Technicians = append(f.Technicians, tenant.Technician{ID: t.id,
			Name:           fmt.Sprintf("%s %s", firstNames[i%len(firstNames)], lastNames[(i/len(firstNames)+i)%len(lastNames)]),
			BusinessUnitID: int64(u + 1), Skills: skills, ZoneIDs: zoneIDs, Active: boolPtr(active), Home: &home})
	}

	// Shifts: a weekly Monday–Friday 07:00–17:00 rule per technician,
	// expanded in the tenant's zone; some time off and on-call.
	weekly, _ := shifts.ParseRepeat(shifts.RepeatRule{RepeatType: "Weekly", ShiftDays: weekdays, RepeatEndDate: (p.Start + hours.Date(p.Days-1)).String()})
	var shiftID int64
	addShift := func(tech int64, typ shifts.Type, title string, start, end int64) {
		shiftID++
		f.Shifts = append(f.Shifts, tenant.Shift{ID: shiftID, TechnicianID: tech, ShiftType: typ, Title: title,
			Start: inLoc(start), End: inLoc(end), Active: boolPtr(true)})
	}
	horizonStart := hours.DayStart(loc, p.Start)
	horizonEnd := hours.DayStart(loc, p.Start+hours.Date(p.Days))
	working := make(map[int64][][2]int64, len(techs)) // tech → day spans, in order
	for i, t := range techs {
		if !*f.Technicians[i].Active {
			continue // no shifts, appointments or pings for a technician who is not working here
		}
		first := shifts.Shift{TechnicianID: t.id, Type: shifts.Normal,
			Start: time.Unix(hours.Local(loc, p.Start, 7*60), 0), End: time.Unix(hours.Local(loc, p.Start, 17*60), 0)}
		week, err := shifts.Expand(loc, first, weekly, time.Unix(horizonStart, 0), time.Unix(horizonEnd, 0))
		if err != nil {
			return nil, fmt.Errorf("synth: profile %q: the weekly shifts: %w", p.Name, err)
		}
		for _, sh := range week {
			sp := sh.Span()
			addShift(t.id, shifts.Normal, "Day", sp.Start, sp.End)
			working[t.id] = append(working[t.id], [2]int64{sp.Start, sp.End})
		}
		switch r.IntN(10) {
		case 0: // a day off
			d := p.Start + hours.Date(r.IntN(p.Days))
			addShift(t.id, shifts.TimeOff, "Vacation", hours.DayStart(loc, d), hours.DayStart(loc, d+1))
		case 1: // an afternoon off
			d := p.Start + hours.Date(r.IntN(p.Days))
			addShift(t.id, shifts.TimeOff, "Appointment", hours.Local(loc, d, 13*60), hours.Local(loc, d, 17*60))
		case 2, 3: // on call on the first Saturday
			d := p.Start + 5
			addShift(t.id, shifts.OnCall, "On call", hours.Local(loc, d, 8*60), hours.Local(loc, d, 20*60))
		}
	}
	offs := make(map[int64][][2]int64)
	for _, s := range f.Shifts {
		if s.ShiftType == shifts.TimeOff {
			st, en := s.Start, s.End
			offs[s.TechnicianID] = append(offs[s.TechnicianID], [2]int64{st.Unix(), en.Unix()})
		}
	}

	// Appointments: fill each working day to a 60–90% target with jobs of
	// the technician's unit, 15–45 minutes of driving between them, each
	// starting inside an arrival window (a technician who is free before
	// 08:00 waits for the first window). Jobs are not matched to skills: a
	// synthetic tenant books like one that does not use skill-based
	// availability (the engine applies skills at query time).
	var apptID, assignID int64 = 50000, 0
	windows := func(d hours.Date) [][2]int64 {
		var out [][2]int64
		for _, w := range f.ArrivalWindows {
			from, to := hours.MustParseClock(w.From), hours.MustParseClock(w.To)
			out = append(out, [2]int64{hours.Local(loc, d, from), hours.Local(loc, d, to)})
		}
		return out
	}
	dispatcher := &capacity.Actor{ID: 1, Name: "Dispatcher"}
	for _, t := range techs {
		target := 0.6 + 0.3*r.Float64()
		jobs := units[t.unit].jobs
		for _, day := range working[t.id] {
			if overlapsAny(day, offs[t.id]) {
				continue
			}
			wins := windows(hours.DateAt(loc, day[0]))
			budget := int64(target * float64(day[1]-day[0]))
			at := day[0] + int64(15+r.IntN(60))*60
			for used := int64(0); ; {
				jt := jobs[r.IntN(len(jobs))]
				d := int64(jt.DurationMinutes) * 60
				start, win, ok := arrival(at, wins)
				if !ok || used+d > budget || start+d > day[1] {
					break
				}
				at = start
				apptID++
				ws, we := win[0], win[1]
				zip := f.Zones[t.zone].Zips[r.IntN(3)]
				f.Appointments = append(f.Appointments, capacity.Appointment{ID: apptID, JobID: apptID + 100000, JobTypeID: jt.ID,
					BusinessUnitID: int64(t.unit + 1), Start: inLoc(at), End: inLoc(at + d), ArrivalWindowStart: inLoc(ws), ArrivalWindowEnd: inLoc(we), Zip: zip})
				if r.IntN(20) != 0 { // 5% stay unassigned
					assignID++
					booked := at - int64(1+r.IntN(7))*86400
					f.Assignments = append(f.Assignments, capacity.Assignment{ID: assignID, AppointmentID: apptID, TechnicianID: t.id,
						AssignedBy: dispatcher, AssignedOn: inLoc(booked), Status: capacity.Assigned, ModifiedOn: inLoc(booked)})
				}
				used += d
				at += d + int64(15+r.IntN(31))*60
			}
		}
	}

	// GPS pings for the first day: hourly along the working day, for at
	// most 200 technicians (the file would otherwise be mostly pings).
	for i, t := range techs {
		if i >= 200 || len(working[t.id]) == 0 {
			break
		}
		day := working[t.id][0]
		lat, lon := t.home.Latitude, t.home.Longitude
		for at := day[0]; at < day[1]; at += 3600 {
			f.GPSPings = append(f.GPSPings, tenant.Ping{TechnicianID: t.id, Latitude: round6(lat), Longitude: round6(lon),
				Speed: float64(r.IntN(25)), Heading: float64(r.IntN(360)), UTCDateTime: time.Unix(at, 0).UTC().Format(time.RFC3339)})
			lat += 0.01 * (r.Float64() - 0.5)
			lon += 0.01 * (r.Float64() - 0.5)
		}
	}
	f.Assignments = nonNilSlice(f.Assignments)
	f.GPSPings = nonNilSlice(f.GPSPings)
	addControls(f, p, loc)
	return f, nil
}

// addControls sets the capacity controls of DESIGN §4a on a generated
// tenant as a contractor of its trades would, deterministically and
// without drawing from the book's random source (so the book is the same
// with or without them): a 15-minute travel buffer; an emergency job type
// per unit, a priority one that the book does not use (emergencies are not
// booked days ahead); the units of one trade that share technicians
// grouped (HVAC Service with HVAC Install, Electrical with Generators,
// when the tenant has both); a 15% reserve for emergencies on the HVAC
// service pool (its group, else its unit); installs, replacements and
// upgrades capped at 40% of a window; and each week three adjustments in
// minutes per technician — Monday's first window overbooked for HVAC
// Service, Wednesday's second on the HVAC pool, Friday's last held back
// for everyone.
func addControls(f *tenant.File, p Profile, loc *time.Location) {
	f.TravelBufferMinutes = 15
	n := len(f.BusinessUnits)
	for i := range n {
		u := f.BusinessUnits[i]
		tr := trades[i]
		f.JobTypes = append(f.JobTypes, capacity.JobType{ID: u.ID*100 + int64(len(tr.jobs)+1), Name: "Emergency " + tr.skill, DurationMinutes: 120,
			Skills: []string{tr.skill}, BusinessUnitIDs: []int64{u.ID}, Priority: true})
	}
	slices.SortFunc(f.JobTypes, func(a, b capacity.JobType) int { return cmp.Compare(a.ID, b.ID) })
	fifteen := 15
	hvac := int64(0) // the HVAC pool's group, or 0
	for _, pair := range [][2]int{{0, 4}, {2, 5}} {
		if pair[1] < n {
			id := int64(len(f.BusinessUnitGroups) + 1)
			g := capacity.BusinessUnitGroup{ID: id, Name: trades[pair[0]].skill, BusinessUnitIDs: []int64{int64(pair[0] + 1), int64(pair[1] + 1)}}
			if pair[0] == 0 {
				g.ReservePercentage, hvac = &fifteen, id
			}
			f.BusinessUnitGroups = append(f.BusinessUnitGroups, g)
		}
	}
	if hvac == 0 {
		f.BusinessUnits[0].ReservePercentage = fifteen
	}
	installs := capacity.Rule{ID: 1, Name: "Installs", MaxPercentage: 40, BusinessUnitIDs: []int64{}}
	for _, j := range f.JobTypes {
		for _, w := range []string{" Install", " Replacement", " Upgrade"} {
			if strings.HasSuffix(j.Name, w) {
				installs.JobTypeIDs = append(installs.JobTypeIDs, j.ID)
			}
		}
	}
	if len(installs.JobTypeIDs) > 0 {
		f.CapacityRules = append(f.CapacityRules, installs)
	}
	techs := len(f.Technicians)
	var id int64
	add := func(day hours.Date, w hours.ArrivalWindow, unit, group int64, perTech int, reason string) {
		id++
		f.CapacityAdjustments = append(f.CapacityAdjustments, tenant.Adjustment{ID: id, Date: day.String(), From: w.From, To: w.To,
			BusinessUnitID: unit, BusinessUnitGroupID: group, Minutes: perTech * techs, Reason: reason,
			CreatedBy: &capacity.Actor{ID: 1, Name: "Dispatcher"}, CreatedOn: time.Unix(hours.Local(loc, day-7, 9*60), 0).In(loc).Format(time.RFC3339)})
	}
	ws := f.ArrivalWindows
	for week := 0; 7*week < p.Days; week++ {
		monday := p.Start + hours.Date(7*week)
		add(monday, ws[0], 1, 0, 3, "Overbook the Monday rush")
		if hvac != 0 && 7*week+2 < p.Days {
			add(monday+2, ws[1], 0, hvac, 2, "Maintenance push")
		}
		if 7*week+4 < p.Days {
			add(monday+4, ws[len(ws)-1], 0, 0, -20, "Friday training")
		}
	}
}

// arrival returns the earliest instant at or after u inside one of the
// arrival windows wins (half-open spans in time order), and that window;
// ok is false when every window has ended by u.
func arrival(u int64, wins [][2]int64) (at int64, win [2]int64, ok bool) {
	for _, w := range wins {
		if u < w[1] {
			return max(u, w[0]), w, true
		}
	}
	return 0, [2]int64{}, false
}

// hasAll reports whether have holds every skill of need.
func hasAll(have, need []string) bool {
	for _, s := range need {
		if !slices.Contains(have, s) {
			return false
		}
	}
	return true
}

func overlapsAny(span [2]int64, list [][2]int64) bool {
	for _, o := range list {
		if o[0] < span[1] && span[0] < o[1] {
			return true
		}
	}
	return false
}

func round6(x float64) float64 { return float64(int64(x*1e6+0.5*sign(x))) / 1e6 }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

func boolPtr(v bool) *bool { return &v }

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
