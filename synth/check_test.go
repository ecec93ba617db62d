package synth_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

// checkBook checks that a tenant's book is one a dispatcher could have
// made, and returns every violation (at most a few of each kind):
//
//   - an appointment starts inside its arrival window, [arrivalWindowStart,
//     arrivalWindowEnd), which is one of the tenant's windows on that date
//     that applies to the appointment's business unit;
//   - it lasts its job type's duration; the job type belongs to its unit;
//     its zip is in an active zone;
//   - a technician assigned to it now is active, of its business unit (or
//     of a unit grouped with it: a group shares its technicians),
//     serves its zip, works (business hours ∩ shifts − time off) the whole
//     of it, is on no other appointment at the same time, was assigned
//     before it starts and, when skills is true, holds the job type's
//     skills (the demo dispatches by skill; synthetic tenants book like a
//     tenant that does not).
func checkBook(ten *tenant.Tenant, skills bool) []string {
	e := ten.Engine
	d := e.Data()
	loc := e.Location()
	sched := e.Schedule()
	at := func(u int64) string { return time.Unix(u, 0).In(loc).Format(time.RFC3339) }
	var bad []string
	count := map[string]int{}
	fail := func(kind, format string, args ...any) {
		if count[kind]++; count[kind] <= 3 {
			bad = append(bad, kind+": "+fmt.Sprintf(format, args...))
		}
	}
	jobs := map[int64]capacity.JobType{}
	for _, j := range d.JobTypes {
		jobs[j.ID] = j
	}
	techs := map[int64]capacity.Technician{}
	for _, t := range d.Technicians {
		techs[t.ID] = t
	}
	appts := map[int64]capacity.Appointment{}
	var wins []hours.Window
	for _, a := range d.Appointments {
		appts[a.ID] = a
		if a.Start.Unix() < a.ArrivalWindowStart.Unix() || a.Start.Unix() >= a.ArrivalWindowEnd.Unix() {
			fail("starts outside its arrival window", "appointment %d starts %s, window [%s, %s)", a.ID, at(a.Start.Unix()), at(a.ArrivalWindowStart.Unix()), at(a.ArrivalWindowEnd.Unix()))
		}
		wins = sched.WindowsOn(wins[:0], hours.DateAt(loc, a.ArrivalWindowStart.Unix()))
		if !slices.ContainsFunc(wins, func(w hours.Window) bool {
			return w.Start == a.ArrivalWindowStart.Unix() && w.End == a.ArrivalWindowEnd.Unix() && w.AppliesTo([]int64{a.BusinessUnitID})
		}) {
			fail("arrival window is not the tenant's", "appointment %d's window [%s, %s) is no window of unit %d on that date", a.ID, at(a.ArrivalWindowStart.Unix()), at(a.ArrivalWindowEnd.Unix()), a.BusinessUnitID)
		}
		j := jobs[a.JobTypeID]
		if a.End.Unix()-a.Start.Unix() != int64(j.DurationMinutes)*60 {
			fail("length is not the job type's duration", "appointment %d lasts %d min, job type %d %d min", a.ID, (a.End.Unix()-a.Start.Unix())/60, j.ID, j.DurationMinutes)
		}
		if len(j.BusinessUnitIDs) > 0 && !slices.Contains(j.BusinessUnitIDs, a.BusinessUnitID) {
			fail("job type of another unit", "appointment %d of unit %d has job type %d of units %v", a.ID, a.BusinessUnitID, j.ID, j.BusinessUnitIDs)
		}
		if zs, err := e.Zones().LookupZip(a.Zip); err != nil || len(zs) == 0 {
			fail("zip in no zone", "appointment %d's zip %q (%v)", a.ID, a.Zip, err)
		}
	}
	busy := map[int64][][2]int64{}
	for _, as := range d.Assignments {
		if as.Status != capacity.Assigned {
			continue
		}
		a, t := appts[as.AppointmentID], techs[as.TechnicianID]
		switch {
		case !t.IsActive():
			fail("inactive technician assigned", "technician %d (inactive) has appointment %d on %s", t.ID, a.ID, at(a.Start.Unix()))
		case t.BusinessUnitID != a.BusinessUnitID && !grouped(d, t.BusinessUnitID, a.BusinessUnitID):
			fail("technician of another unit", "technician %d of unit %d has appointment %d of unit %d (not of its group)", t.ID, t.BusinessUnitID, a.ID, a.BusinessUnitID)
		case skills && !t.HasSkills(jobs[a.JobTypeID].Skills):
			fail("technician without the skills", "technician %d %v has appointment %d needing %v", t.ID, t.Skills, a.ID, jobs[a.JobTypeID].Skills)
		}
		if len(t.ZoneIDs) > 0 {
			zs, _ := e.Zones().LookupZip(a.Zip)
			if !slices.ContainsFunc(t.ZoneIDs, func(z int64) bool { return slices.Contains(zs, z) }) {
				fail("technician does not serve the zip", "technician %d (zones %v) has appointment %d in %s (zones %v)", t.ID, t.ZoneIDs, a.ID, a.Zip, zs)
			}
		}
		if w := e.Working(t.ID, a.Start, a.End); w.Measure() != a.End.Unix()-a.Start.Unix() {
			fail("technician not working", "technician %d works %d of the %d minutes of appointment %d on %s", t.ID, w.Measure()/60, (a.End.Unix()-a.Start.Unix())/60, a.ID, at(a.Start.Unix()))
		}
		for _, b := range busy[t.ID] {
			if b[0] < a.End.Unix() && a.Start.Unix() < b[1] {
				fail("technician double-booked", "technician %d has appointment %d on %s and another at the same time", t.ID, a.ID, at(a.Start.Unix()))
			}
		}
		busy[t.ID] = append(busy[t.ID], [2]int64{a.Start.Unix(), a.End.Unix()})
		if !as.AssignedOn.Before(a.Start) {
			fail("assigned after it starts", "assignment %d on %s, appointment %d starts %s", as.ID, at(as.AssignedOn.Unix()), a.ID, at(a.Start.Unix()))
		}
	}
	for kind, n := range count {
		if n > 3 {
			bad = append(bad, fmt.Sprintf("%s: %d in all", kind, n))
		}
	}
	slices.Sort(bad)
	return bad
}

// grouped reports whether units a and b are in one business-unit group,
// which shares its technicians.
func grouped(d capacity.Data, a, b int64) bool {
	for _, g := range d.BusinessUnitGroups {
		if slices.Contains(g.BusinessUnitIDs, a) && slices.Contains(g.BusinessUnitIDs, b) {
			return true
		}
	}
	return false
}

// TestBooksAreSound runs checkBook over the demo and every synthetic
// profile (several seeds of the small ones; the enterprise profile only
// without the race detector, see raceEnabled).
func TestBooksAreSound(t *testing.T) {
	type book struct {
		name string
		f    *tenant.File
	}
	books := []book{{"demo", synth.Demo()}}
	// The committed file too, in case it were edited by hand.
	if f, err := tenant.Decode(readDemo(t)); err != nil {
		t.Fatal(err)
	} else {
		books = append(books, book{"testdata/tenants/demo.json", f})
	}
	for _, p := range synth.Profiles {
		seeds := uint64(3)
		if p.Technicians > 1000 {
			if raceEnabled {
				t.Logf("%s: skipped under the race detector", p.Name)
				continue
			}
			seeds = 1
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			f, err := synth.Generate(p, seed)
			if err != nil {
				t.Fatal(err)
			}
			books = append(books, book{fmt.Sprintf("%s-%d", p.Name, seed), f})
		}
	}
	for _, b := range books {
		ten, err := tenant.Build(b.f)
		if err != nil {
			t.Fatalf("%s: %v", b.name, err)
		}
		for _, msg := range checkBook(ten, strings.Contains(b.name, "demo")) {
			t.Errorf("%s: %s", b.name, msg)
		}
		t.Logf("%s: %d appointments checked", b.name, len(b.f.Appointments))
	}
}

func readDemo(t *testing.T) []byte {
	b, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
