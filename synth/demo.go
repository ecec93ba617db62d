package synth

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/zones"
)

// demoTech is one hand-written technician of the demo tenant.
type demoTech struct {
	id     int64
	name   string
	unit   int64
	skills []string
	zones  []int64
	home   capacity.Point
	active bool
	late   bool // works 08:00–18:00 instead of 07:00–17:00
}

var demoTechs = []demoTech{
	{101, "Ana Ruiz", 1, []string{"HVAC", "EPA 608"}, []int64{1}, capacity.Point{Latitude: 39.7508, Longitude: -104.9966}, true, false},
	{102, "Ben Okafor", 1, []string{"HVAC"}, []int64{1, 2}, capacity.Point{Latitude: 39.7392, Longitude: -104.9903}, true, false},
	{103, "Carla Nguyen", 1, []string{"HVAC", "EPA 608"}, []int64{2}, capacity.Point{Latitude: 39.7294, Longitude: -104.8319}, true, true},
	{104, "Dev Patel", 1, []string{"HVAC", "EPA 608"}, []int64{3}, capacity.Point{Latitude: 39.7047, Longitude: -105.0814}, true, false},
	{105, "Eli Schmidt", 1, []string{"HVAC", "EPA 608"}, []int64{4}, capacity.Point{Latitude: 39.6133, Longitude: -105.0166}, true, false},
	{106, "Fatima Haddad", 1, []string{"HVAC"}, []int64{1}, capacity.Point{Latitude: 39.7621, Longitude: -104.9750}, true, true},
	{107, "Gus Larsen", 1, []string{"HVAC", "EPA 608"}, []int64{2, 4}, capacity.Point{Latitude: 39.6500, Longitude: -104.8800}, true, false},
	{108, "Hana Tanaka", 1, []string{"HVAC"}, []int64{3}, capacity.Point{Latitude: 39.7555, Longitude: -105.2211}, true, false},
	{109, "Ivan Kowalski", 1, []string{"HVAC"}, []int64{4}, capacity.Point{Latitude: 39.5480, Longitude: -104.9690}, true, true},
	{110, "Jo Brennan", 1, []string{"HVAC", "EPA 608"}, []int64{}, capacity.Point{Latitude: 39.7000, Longitude: -104.9500}, false, false}, // on leave
	{201, "Kai Moreau", 2, []string{"Plumbing", "Jetter"}, []int64{1}, capacity.Point{Latitude: 39.7400, Longitude: -104.9700}, true, false},
	{202, "Lena Silva", 2, []string{"Plumbing"}, []int64{2}, capacity.Point{Latitude: 39.6950, Longitude: -104.8100}, true, false},
	{203, "Marco Yilmaz", 2, []string{"Plumbing", "Backflow", "Jetter"}, []int64{3}, capacity.Point{Latitude: 39.7100, Longitude: -105.1000}, true, true},
	{204, "Nia Garcia", 2, []string{"Plumbing", "Jetter"}, []int64{4}, capacity.Point{Latitude: 39.5800, Longitude: -104.9800}, true, false},
	{205, "Omar Ibrahim", 2, []string{"Plumbing"}, []int64{1, 3}, capacity.Point{Latitude: 39.7300, Longitude: -105.0300}, true, false},
	{206, "Pia Novak", 2, []string{"Plumbing", "Jetter", "Backflow"}, []int64{2, 4}, capacity.Point{Latitude: 39.6200, Longitude: -104.8700}, true, true},
	{207, "Quinn Okafor", 2, []string{"Plumbing"}, []int64{}, capacity.Point{Latitude: 39.7200, Longitude: -104.9400}, true, false}, // floats everywhere
	{208, "Rosa Nguyen", 2, []string{"Plumbing"}, []int64{1}, capacity.Point{Latitude: 39.7800, Longitude: -104.9800}, true, false},
	{301, "Sam Haddad", 3, []string{"Electrical", "Master License"}, []int64{1, 2}, capacity.Point{Latitude: 39.7450, Longitude: -104.9200}, true, false},
	{302, "Tia Larsen", 3, []string{"Electrical"}, []int64{3}, capacity.Point{Latitude: 39.7150, Longitude: -105.1300}, true, false},
	{303, "Uri Tanaka", 3, []string{"Electrical"}, []int64{4}, capacity.Point{Latitude: 39.5950, Longitude: -105.0100}, true, true},
	{304, "Vera Patel", 3, []string{"Electrical", "Master License"}, []int64{2}, capacity.Point{Latitude: 39.6800, Longitude: -104.8000}, true, false},
	{305, "Wes Moreau", 3, []string{"Electrical"}, []int64{1}, capacity.Point{Latitude: 39.7550, Longitude: -105.0000}, true, false},
	{306, "Xia Silva", 3, []string{"Electrical", "Master License"}, []int64{3, 4}, capacity.Point{Latitude: 39.6400, Longitude: -105.0600}, true, false},
	{307, "Yusuf Garcia", 3, []string{"Electrical"}, []int64{}, capacity.Point{Latitude: 39.7000, Longitude: -104.9900}, true, true},
}

// demoJobs are the demo's job types, by business unit.
var demoJobs = map[int64][]capacity.JobType{
	// HVAC technicians, all of HVAC Service, also do the maintenance
	// unit's tune-ups: the two units form one group.
	1: {
		{ID: 101, Name: "AC Repair", DurationMinutes: 90, Skills: []string{"HVAC"}, BusinessUnitIDs: []int64{1}},
		{ID: 102, Name: "Furnace Tune-up", DurationMinutes: 60, Skills: []string{"HVAC"}, BusinessUnitIDs: []int64{4}, TravelBufferMinutes: intPtr(10)},
		{ID: 103, Name: "System Replacement", DurationMinutes: 240, Skills: []string{"HVAC", "EPA 608"}, BusinessUnitIDs: []int64{1}},
	},
	2: {
		{ID: 201, Name: "Leak Repair", DurationMinutes: 60, Skills: []string{"Plumbing"}, BusinessUnitIDs: []int64{2}},
		{ID: 202, Name: "Water Heater Install", DurationMinutes: 180, Skills: []string{"Plumbing"}, BusinessUnitIDs: []int64{2}},
		{ID: 203, Name: "Drain Cleaning", DurationMinutes: 90, Skills: []string{"Plumbing", "Jetter"}, BusinessUnitIDs: []int64{2}},
	},
	3: {
		{ID: 301, Name: "Outlet Repair", DurationMinutes: 60, Skills: []string{"Electrical"}, BusinessUnitIDs: []int64{3}},
		{ID: 302, Name: "Panel Upgrade", DurationMinutes: 240, Skills: []string{"Electrical", "Master License"}, BusinessUnitIDs: []int64{3}},
		{ID: 303, Name: "EV Charger Install", DurationMinutes: 180, Skills: []string{"Electrical"}, BusinessUnitIDs: []int64{3}},
	},
}

// demoWeights weigh the demo's job types in its book as a service company
// books them: mostly repairs and maintenance, a few installs and
// replacements.
var demoWeights = map[int64]int{101: 5, 102: 3, 103: 1, 201: 4, 202: 1, 203: 2, 301: 6, 302: 1, 303: 1}

// weighted draws a job type of jobs by demoWeights.
func weighted(r *rand.Rand, jobs []capacity.JobType) capacity.JobType {
	total := 0
	for _, j := range jobs {
		total += demoWeights[j.ID]
	}
	x := r.IntN(total)
	for _, j := range jobs {
		if x -= demoWeights[j.ID]; x < 0 {
			return j
		}
	}
	panic("synth: unreachable")
}

// demoEmergencies are the demo's priority job types: they may take the
// capacity the emergency reserve holds back. The book has none (nobody
// books an emergency days ahead); the simulator's emergencies are calls.
var demoEmergencies = []capacity.JobType{
	{ID: 104, Name: "No-Heat Emergency", DurationMinutes: 120, Skills: []string{"HVAC"}, BusinessUnitIDs: []int64{1}, Priority: true},
	{ID: 204, Name: "Burst Pipe", DurationMinutes: 120, Skills: []string{"Plumbing"}, BusinessUnitIDs: []int64{2}, Priority: true},
}

// demoDispatcher is who planned the demo's capacity adjustments.
var demoDispatcher = capacity.Actor{ID: 1, Name: "Maria Lopez (Dispatch)"}

var demoZones = []zones.Zone{
	{ID: 1, Name: "Denver Central", Zips: []string{"80202", "80203", "80204", "80205", "80206", "80218"}, Cities: []string{"Denver"}},
	{ID: 2, Name: "Aurora", Zips: []string{"80010", "80011", "80012", "80014", "80015"}, Cities: []string{"Aurora"}},
	{ID: 3, Name: "Lakewood & Golden", Zips: []string{"80214", "80215", "80226", "80227", "80401"}, Cities: []string{"Lakewood", "Golden"}},
	{ID: 4, Name: "South Metro", Zips: []string{"80120", "80121", "80122", "80126", "80129", "80130"}, Cities: []string{"Littleton", "Highlands Ranch", "Centennial"}},
}

// zoneCentres are rough centres of the demo zones, for GPS tracks.
var zoneCentres = map[int64]capacity.Point{1: {Latitude: 39.745, Longitude: -104.985}, 2: {Latitude: 39.700, Longitude: -104.820},
	3: {Latitude: 39.715, Longitude: -105.110}, 4: {Latitude: 39.580, Longitude: -104.990}}

// DemoStart is the demo's first date, Monday 2027-03-08; its two weeks
// include the US spring-forward change on Sunday 2027-03-14.
var DemoStart = DefaultStart

// Demo returns the demo tenant: a Denver-area HVAC, plumbing and
// electrical contractor with 25 technicians over two weeks. Its people,
// zones, job types and time off are written out by hand above and below;
// the day-to-day appointments are drawn with a fixed seed so the book looks
// like a real one: 60–85% full, each job starting inside an arrival window
// and given to a technician who holds its skills, about 6% left
// unassigned, a few reassignments kept as history.
//
// It uses every capacity control of DESIGN §4a: HVAC Service and HVAC
// Maintenance form one group sharing the HVAC technicians, which holds 15%
// of their capacity back for the two emergency (priority) job types;
// water-heater and EV-charger installs may take at most 80% of a window
// (a fifth is kept for service calls); a 20-minute
// drive buffer pads every job (10 minutes for tune-ups, which are routed
// together); and a dispatcher made three adjustments in the first week: 90
// minutes of planned overbooking for HVAC Service on Tuesday morning, 60
// more for the HVAC group on Wednesday's 10–12 window, and three hours of
// plumbing held back on Friday afternoon.
func Demo() *tenant.File {
	loc, _ := hours.LoadLocation("America/Denver")
	local := func(u int64) string { return time.Unix(u, 0).In(loc).Format(time.RFC3339) }
	inLoc := func(u int64) time.Time { return time.Unix(u, 0).In(loc) }
	at := func(d hours.Date, hhmm string) int64 { return hours.Local(loc, d, hours.MustParseClock(hhmm)) }
	f := &tenant.File{
		Version:                tenant.Version,
		Tenant:                 "0000000",
		TimeZone:               "America/Denver",
		IdealBookingPercentage: 85,
		Exceptions: []hours.Exception{
			// Friday of the second week: the company's spring safety day.
			{Date: "2027-03-19", TimeSlots: []hours.TimeSlot{{From: "07:00", To: "13:00"}}},
		},
		TravelBufferMinutes: 20,
		BusinessUnits: []capacity.BusinessUnit{
			{ID: 1, Name: "HVAC Service", IdealBookingPercentage: 80},
			{ID: 2, Name: "Plumbing", IdealBookingPercentage: 85},
			{ID: 3, Name: "Electrical", IdealBookingPercentage: 90},
			{ID: 4, Name: "HVAC Maintenance", IdealBookingPercentage: 80},
		},
		BusinessUnitGroups: []capacity.BusinessUnitGroup{
			{ID: 1, Name: "HVAC", BusinessUnitIDs: []int64{1, 4}, ReservePercentage: intPtr(15)},
		},
		CapacityRules: []capacity.Rule{
			{ID: 1, Name: "Installs", JobTypeIDs: []int64{202, 303}, BusinessUnitIDs: []int64{}, MaxPercentage: 80},
		},
		Zones: demoZones,
	}
	created := local(at(DemoStart-3, "16:30")) // the Friday before
	f.CapacityAdjustments = []tenant.Adjustment{
		{ID: 1, Date: (DemoStart + 1).String(), From: "08:00", To: "10:00", BusinessUnitID: 1, Minutes: 90,
			Reason: "Overbook: two tune-ups usually cancel on Tuesday mornings", CreatedBy: &demoDispatcher, CreatedOn: created},
		{ID: 2, Date: (DemoStart + 2).String(), From: "10:00", To: "12:00", BusinessUnitGroupID: 1, Minutes: 60,
			Reason: "Cold snap: the shop meeting moves to Thursday", CreatedBy: &demoDispatcher, CreatedOn: created},
		{ID: 3, Date: (DemoStart + 4).String(), From: "14:00", To: "16:00", BusinessUnitID: 2, Minutes: -180,
			Reason: "Hold back: two plumbers at the backflow certification", CreatedBy: &demoDispatcher, CreatedOn: created},
	}
	for _, wd := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} {
		f.BusinessHours.Weekdays = append(f.BusinessHours.Weekdays, hours.WeekdayHours{Weekday: wd, TimeSlots: []hours.TimeSlot{{From: "07:00", To: "18:00"}}})
	}
	f.BusinessHours.Weekdays = append(f.BusinessHours.Weekdays, hours.WeekdayHours{Weekday: "Saturday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "14:00"}}})
	for i, w := range [][2]string{{"08:00", "10:00"}, {"10:00", "12:00"}, {"12:00", "14:00"}, {"14:00", "16:00"}} {
		f.ArrivalWindows = append(f.ArrivalWindows, hours.ArrivalWindow{ID: int64(i + 1), From: w[0], To: w[1], Weekdays: []string{}, BusinessUnitIDs: []int64{}})
	}
	for _, u := range []int64{1, 2, 3} {
		f.JobTypes = append(f.JobTypes, demoJobs[u]...)
	}
	f.JobTypes = append(f.JobTypes, demoEmergencies...)
	slices.SortFunc(f.JobTypes, func(a, b capacity.JobType) int { return cmp.Compare(a.ID, b.ID) })
	for _, t := range demoTechs {
		home := t.home
		f.Technicians = append(f.Technicians, tenant.Technician{ID: t.id, Name: t.name, BusinessUnitID: t.unit, Skills: t.skills,
			ZoneIDs: t.zones, Active: boolPtr(t.active), Home: &home})
	}

	// Shifts.
	var shiftID int64
	type span struct{ start, end int64 }
	work := map[int64][]span{}
	add := func(tech int64, typ shifts.Type, title, note string, start, end int64) {
		shiftID++
		f.Shifts = append(f.Shifts, tenant.Shift{ID: shiftID, TechnicianID: tech, ShiftType: typ, Title: title, Note: note,
			Start: inLoc(start), End: inLoc(end), Active: boolPtr(true), ModifiedOn: inLoc(at(DemoStart-7, "09:00"))})
		if typ == shifts.Normal {
			work[tech] = append(work[tech], span{start, end})
		}
	}
	last := DemoStart + 13
	weekly, _ := shifts.ParseRepeat(shifts.RepeatRule{RepeatType: "Weekly", ShiftDays: []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}, RepeatEndDate: last.String()})
	for _, t := range demoTechs {
		if !t.active {
			continue
		}
		from, to, title := "07:00", "17:00", "Day"
		if t.late {
			from, to, title = "08:00", "18:00", "Late"
		}
		first := shifts.Shift{Start: time.Unix(at(DemoStart, from), 0), End: time.Unix(at(DemoStart, to), 0)}
		week, err := shifts.Expand(loc, first, weekly, time.Unix(at(DemoStart, "00:00"), 0), time.Unix(at(last+1, "00:00"), 0))
		if err != nil {
			panic("synth: the demo's weekly shifts: " + err.Error()) // fixed data: a bug here
		}
		for _, sh := range week {
			add(t.id, shifts.Normal, title, "", sh.Start.Unix(), sh.End.Unix())
		}
	}
	// Saturday crews, one per trade per week.
	for week, crew := range [][]int64{{102, 205, 305}, {107, 201, 306}} {
		sat := DemoStart + hours.Date(7*week+5)
		for _, id := range crew {
			add(id, shifts.Normal, "Saturday", "", at(sat, "08:00"), at(sat, "14:00"))
		}
	}
	// On-call evenings, rotating through each trade.
	oncall := map[int64][]int64{1: {101, 104, 105, 108}, 2: {202, 203, 204}, 3: {302, 303, 304}}
	for d := DemoStart; d <= last; d++ {
		if d.Weekday() == time.Sunday {
			continue
		}
		for _, u := range []int64{1, 2, 3} {
			id := oncall[u][int(d-DemoStart)%len(oncall[u])]
			add(id, shifts.OnCall, "On call", "Emergency line", at(d, "17:00"), at(d, "22:00"))
		}
	}
	// Time off, by hand.
	add(104, shifts.TimeOff, "Vacation", "Ski week", at(DemoStart+7, "00:00"), at(DemoStart+12, "00:00"))
	add(202, shifts.TimeOff, "Dentist", "", at(DemoStart+2, "13:00"), at(DemoStart+2, "17:00"))
	add(303, shifts.TimeOff, "Sick", "", at(DemoStart+3, "00:00"), at(DemoStart+4, "00:00"))
	add(106, shifts.TimeOff, "Training", "EPA 608 class", at(DemoStart+9, "07:00"), at(DemoStart+9, "12:00"))
	add(301, shifts.TimeOff, "Personal", "", at(DemoStart+11, "12:00"), at(DemoStart+11, "18:00"))
	off := map[int64][]span{}
	for _, s := range f.Shifts {
		if s.ShiftType == shifts.TimeOff {
			st, en := s.Start, s.End
			off[s.TechnicianID] = append(off[s.TechnicianID], span{st.Unix(), en.Unix()})
		}
	}

	// Appointments: each working day filled to 60–85% with the trade's
	// jobs, 20–40 minutes of driving between them, in the technician's
	// zones; the business-hours exception day stops at 13:00.
	r := rand.New(rand.NewPCG(2027, 3))
	var apptID, assignID int64 = 5000, 0
	dispatchers := []*capacity.Actor{{ID: 1, Name: "Maria Lopez (Dispatch)"}, {ID: 2, Name: "Dispatch Pro"}}
	// Appointments start inside an arrival window: a technician free before
	// the first window waits for it, and none starts after the last.
	windows := func(d hours.Date) [][2]int64 {
		var out [][2]int64
		for _, w := range f.ArrivalWindows {
			out = append(out, [2]int64{at(d, w.From), at(d, w.To)})
		}
		return out
	}
	zipsOf := func(t demoTech) []string {
		var zips []string
		ids := t.zones
		if len(ids) == 0 {
			ids = []int64{1, 2, 3, 4}
		}
		for _, z := range ids {
			zips = append(zips, demoZones[z-1].Zips...)
		}
		return zips
	}
	type booked struct {
		id         int64
		tech       int64
		start, end int64
		zip        string
	}
	var books []booked
	for _, t := range demoTechs {
		// Only the jobs the technician is qualified for.
		var jobs []capacity.JobType
		for _, jt := range demoJobs[t.unit] {
			if hasAll(t.skills, jt.Skills) {
				jobs = append(jobs, jt)
			}
		}
		for _, day := range work[t.id] {
			end := day.end
			if d := hours.DateAt(loc, day.start); d == hours.MustParseDate("2027-03-19") {
				end = min(end, at(d, "13:00"))
			}
			for _, o := range off[t.id] {
				if o.start < end && day.start < o.end {
					end = min(end, o.start) // work stops at the time off
				}
			}
			budget := int64((0.60 + 0.25*r.Float64()) * float64(end-day.start))
			startAt := day.start + int64(30+r.IntN(45))*60
			wins := windows(hours.DateAt(loc, day.start))
			for used := int64(0); ; {
				jt := weighted(r, jobs)
				d := int64(jt.DurationMinutes) * 60
				start, win, ok := arrival(startAt, wins)
				if !ok || used+d > budget || start+d > end {
					break
				}
				startAt = start
				apptID++
				ws, we := win[0], win[1]
				zip := pick(r, zipsOf(t))
				f.Appointments = append(f.Appointments, capacity.Appointment{ID: apptID, JobID: 90000 + apptID, JobTypeID: jt.ID, BusinessUnitID: jt.BusinessUnitIDs[0],
					Start: inLoc(startAt), End: inLoc(startAt + d), ArrivalWindowStart: inLoc(ws), ArrivalWindowEnd: inLoc(we), Zip: zip})
				if r.IntN(16) != 0 { // about 6% wait for a technician
					assignID++
					when := startAt - int64(1+r.IntN(6))*86400 - int64(r.IntN(8))*3600
					f.Assignments = append(f.Assignments, capacity.Assignment{ID: assignID, AppointmentID: apptID, TechnicianID: t.id,
						AssignedBy: dispatchers[r.IntN(2)], AssignedOn: inLoc(when), Status: capacity.Assigned, ModifiedOn: inLoc(when)})
					books = append(books, booked{apptID, t.id, startAt, startAt + d, zip})
				}
				used += d
				startAt += d + int64(20+r.IntN(21))*60
			}
		}
	}
	// A few reassignments, kept as history: first booked with a colleague,
	// then moved.
	for _, i := range []int{3, 40, 77, 150} {
		if i >= len(f.Assignments) {
			continue
		}
		cur := &f.Assignments[i]
		var other int64
		for _, t := range demoTechs {
			if t.unit == demoUnitOf(cur.TechnicianID) && t.id != cur.TechnicianID && t.active {
				other = t.id
				break
			}
		}
		assignID++
		f.Assignments = append(f.Assignments, capacity.Assignment{ID: assignID, AppointmentID: cur.AppointmentID, TechnicianID: other,
			AssignedBy: dispatchers[0], AssignedOn: cur.AssignedOn, UnassignedOn: cur.ModifiedOn, Status: capacity.Unassigned, ModifiedOn: cur.ModifiedOn})
	}

	// GPS tracks for three technicians on Tuesday 2027-03-09: a ping every
	// five minutes, driving from home to each job at about 45 km/h and
	// parked on site.
	tue := DemoStart + 1
	for _, id := range []int64{101, 202, 304} {
		t := demoTechByID(id)
		pos := t.home
		clock := at(tue, "07:00")
		if t.late {
			clock = at(tue, "08:00")
		}
		for _, b := range books {
			if b.tech != id || hours.DateAt(loc, b.start) != tue {
				continue
			}
			dest := jitter(zoneCentres[zoneOfZip(b.zip)], b.id)
			for ; clock < b.start; clock += 300 {
				frac := math.Min(1, float64(clock-(b.start-1500))/1500) // last 25 minutes are the drive
				if frac <= 0 {
					f.GPSPings = append(f.GPSPings, ping(id, pos, 0, 0, clock))
					continue
				}
				p := lerp(pos, dest, frac)
				f.GPSPings = append(f.GPSPings, ping(id, p, 12.5, bearing(pos, dest), clock))
			}
			pos = dest
			for ; clock < b.end; clock += 300 {
				f.GPSPings = append(f.GPSPings, ping(id, pos, 0, 0, clock))
			}
		}
	}
	return f
}

func demoUnitOf(tech int64) int64 { return demoTechByID(tech).unit }

func demoTechByID(id int64) demoTech {
	for _, t := range demoTechs {
		if t.id == id {
			return t
		}
	}
	panic(fmt.Sprintf("synth: no demo technician %d", id))
}

func zoneOfZip(zip string) int64 {
	for _, z := range demoZones {
		for _, x := range z.Zips {
			if x == zip {
				return z.ID
			}
		}
	}
	return 1
}

// jitter moves p by up to ±0.03° deterministically from key.
func jitter(p capacity.Point, key int64) capacity.Point {
	r := rand.New(rand.NewPCG(uint64(key), 7))
	return capacity.Point{Latitude: p.Latitude + 0.06*(r.Float64()-0.5), Longitude: p.Longitude + 0.06*(r.Float64()-0.5)}
}

func lerp(a, b capacity.Point, t float64) capacity.Point {
	return capacity.Point{Latitude: a.Latitude + (b.Latitude-a.Latitude)*t, Longitude: a.Longitude + (b.Longitude-a.Longitude)*t}
}

// bearing is the initial compass bearing from a to b in whole degrees.
func bearing(a, b capacity.Point) float64 {
	φ1, φ2 := a.Latitude*math.Pi/180, b.Latitude*math.Pi/180
	Δλ := (b.Longitude - a.Longitude) * math.Pi / 180
	θ := math.Atan2(math.Sin(Δλ)*math.Cos(φ2), math.Cos(φ1)*math.Sin(φ2)-math.Sin(φ1)*math.Cos(φ2)*math.Cos(Δλ))
	return math.Mod(math.Round(θ*180/math.Pi)+360, 360)
}

func ping(tech int64, p capacity.Point, speed, heading float64, at int64) tenant.Ping {
	return tenant.Ping{TechnicianID: tech, Latitude: round6(p.Latitude), Longitude: round6(p.Longitude), Speed: speed, Heading: heading,
		UTCDateTime: time.Unix(at, 0).UTC().Format(time.RFC3339)}
}

func intPtr(v int) *int { return &v }
