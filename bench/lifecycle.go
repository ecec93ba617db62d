package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/shifts"
)

// The lifecycle benchmarks change a built engine and ask for one day
// (the horizon's second, with the 60-minute job type) after each change,
// as AssignRequery does: each iteration makes a change and undoes it, or
// runs a short lifecycle, so that the engine stays the same size, and
// reports ns per change and query.

// lifeFixture is a built engine of a profile, the day request, and what
// the changes act on: an active technician of the first unit with a
// Normal shift on the day, two free hours of its shift, its appointment
// 1<<40 in the first of them, a pending appointment 1<<40+1 at the same
// time (assigning it to the technician warns of the overlap), and the
// last unit.
type lifeFixture struct {
	e                   *capacity.Engine
	req                 capacity.Request
	tech                capacity.Technician
	shift               shifts.Shift
	appt, clash         capacity.Appointment
	free1, free2        time.Time // starts of free hours of tech's shift
	otherUnit           int64
	techs, cycle        int
	relayouts           int
	relayoutNanoseconds int64
}

const lifeIDs = 1 << 40 // ids of what the benchmarks add

func newLifeFixture(b *testing.B, prof string) *lifeFixture {
	e := benchdata.Tenant(prof).Engine
	f := &lifeFixture{e: e, req: benchdata.DayRequest(e, benchdata.HourJobType(benchdata.File(prof)))}
	from, to := f.req.StartsOnOrAfter, f.req.EndsOnOrBefore
	d := e.Data()
	f.techs = len(d.Technicians)
	f.cycle = max(f.techs/8, 4)
	f.otherUnit = d.BusinessUnits[len(d.BusinessUnits)-1].ID
	for _, sh := range d.Shifts {
		t, _ := e.Technician(sh.TechnicianID)
		if sh.Type != shifts.Normal || !sh.IsActive() || sh.Start.Before(from) || sh.End.After(to) || !t.IsActive() || t.BusinessUnitID != d.BusinessUnits[0].ID {
			continue
		}
		if a, ok := e.Arrival(t.ID, sh.Start, sh.End, time.Hour); ok && t.BusinessUnitID != f.otherUnit {
			f.shift, f.tech, f.free1 = sh, t, a
			break
		}
	}
	if f.shift.ID == 0 {
		b.Skip("no technician with a free hour on the day")
	}
	var jobType int64
	for _, j := range d.JobTypes {
		if len(j.Skills) == 0 || f.tech.HasSkills(j.Skills) {
			jobType = j.ID
			break
		}
	}
	f.appt = capacity.Appointment{ID: lifeIDs, JobTypeID: jobType, BusinessUnitID: f.tech.BusinessUnitID, Start: f.free1, End: f.free1.Add(time.Hour),
		ArrivalWindowStart: f.free1, ArrivalWindowEnd: f.free1.Add(time.Hour)}
	f.clash = f.appt
	f.clash.ID++
	must(b, e.AddAppointment(f.appt))
	must(b, e.AddAppointment(f.clash))
	_, ws, err := e.Assign(f.appt.ID, []int64{f.tech.ID}, nil)
	must(b, err)
	if len(ws) > 0 {
		b.Fatalf("the fixture's assignment warns: %v", ws)
	}
	a, ok := e.Arrival(f.tech.ID, f.shift.Start, f.shift.End, time.Hour)
	if !ok {
		b.Skip("no second free hour on the day")
	}
	f.free2 = a
	return f
}

func (f *lifeFixture) query() { sinkResp, _ = f.e.Capacity(f.req) }

// lifecycleRequery times the given change-and-query cycle, which makes
// changes changes and as many queries.
func lifecycleRequery(b *testing.B, prof string, changes int, cycle func(b *testing.B, f *lifeFixture, i int)) {
	f := newLifeFixture(b, prof)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		cycle(b, f, i)
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(changes), "ns/update+query")
}

func must(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
}

// lifecycleBenchmarks returns the lifecycle benchmarks of one profile.
func lifecycleBenchmarks(prof string, techs int) []Benchmark {
	day := fmt.Sprintf("techs=%d/days=1", techs)
	var s []Benchmark
	add := func(op string, changes int, cycle func(b *testing.B, f *lifeFixture, i int)) {
		s = append(s, Benchmark{"Lifecycle/op=" + op + "/" + day, func(b *testing.B) { lifecycleRequery(b, prof, changes, cycle) }})
	}
	// The technician's appointment moves to its other free hour and
	// back: its busy time moves with it (no warning).
	add("reschedule", 2, func(b *testing.B, f *lifeFixture, _ int) {
		for _, start := range []time.Time{f.free2, f.free1} {
			ws, err := f.e.RescheduleAppointment(f.appt.ID, capacity.Reschedule{Start: start, End: start.Add(time.Hour), ArrivalWindowStart: start, ArrivalWindowEnd: start.Add(time.Hour)})
			must(b, err)
			if len(ws) > 0 {
				b.Fatal(ws)
			}
			f.query()
		}
	})
	// A new appointment in the technician's other free hour is booked
	// (pending), assigned to it, and canceled: the whole life of an
	// appointment that does not happen. Canceled appointments and their
	// records stay, so the engine grows by one appointment and one record
	// an iteration.
	add("book-assign-cancel", 3, func(b *testing.B, f *lifeFixture, i int) {
		a := f.appt
		a.ID, a.Start, a.End = lifeIDs+2+int64(i), f.free2, f.free2.Add(time.Hour)
		must(b, f.e.AddAppointment(a))
		f.query()
		_, _, err := f.e.Assign(a.ID, []int64{f.tech.ID}, nil)
		must(b, err)
		f.query()
		_, err = f.e.CancelAppointment(a.ID)
		must(b, err)
		f.query()
	})
	// Assigning the technician to an appointment at the time of its own
	// warns of the overlap, which names the other appointment: the
	// warning's worst case, a walk of the ledger. Then it is unassigned.
	add("assign-overlap", 2, func(b *testing.B, f *lifeFixture, _ int) {
		_, ws, err := f.e.Assign(f.clash.ID, []int64{f.tech.ID}, nil)
		must(b, err)
		if len(ws) != 1 || ws[0].Code != capacity.WarnOverlap {
			b.Fatalf("warnings %v, want one overlap", ws)
		}
		f.query()
		_, err = f.e.Unassign(f.clash.ID, []int64{f.tech.ID}, nil)
		must(b, err)
		f.query()
	})
	// The technician's shift ends an hour earlier, then as it did.
	add("shift-update", 2, func(b *testing.B, f *lifeFixture, _ int) {
		c := f.shift.Change()
		for _, end := range []time.Time{c.End.Add(-time.Hour), c.End} {
			c.End = end
			_, err := f.e.UpdateShift(f.shift.ID, c)
			must(b, err)
			f.query()
		}
	})
	add("shift-deactivate", 2, func(b *testing.B, f *lifeFixture, _ int) {
		_, err := f.e.DeactivateShift(f.shift.ID)
		must(b, err)
		f.query()
		_, err = f.e.ReactivateShift(f.shift.ID)
		must(b, err)
		f.query()
	})
	// Two hours off are created and deleted.
	add("shift-create-delete", 2, func(b *testing.B, f *lifeFixture, _ int) {
		created, err := f.e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{f.tech.ID}, Type: shifts.TimeOff, Title: "Off",
			Start: f.shift.Start.Add(time.Hour), End: f.shift.Start.Add(3 * time.Hour)})
		must(b, err)
		f.query()
		_, err = f.e.DeleteShift(created[0].ID)
		must(b, err)
		f.query()
	})
	// The technician moves to another unit and back: its column of
	// figures leaves one unit's sums for the other's.
	add("tech-move", 2, func(b *testing.B, f *lifeFixture, _ int) {
		t := f.tech
		for _, u := range []int64{f.otherUnit, f.tech.BusinessUnitID} {
			t.BusinessUnitID = u
			must(b, f.e.UpdateTechnician(t))
			f.query()
		}
	})
	add("tech-deactivate", 2, func(b *testing.B, f *lifeFixture, _ int) {
		must(b, f.e.DeactivateTechnician(f.tech.ID))
		f.query()
		must(b, f.e.ReactivateTechnician(f.tech.ID))
		f.query()
	})
	// A technician is added with a shift on the day. Technicians cannot
	// be removed, so every techs/8 additions (one layout of the rows with
	// spare columns) the engine is built again, untimed.
	add("tech-add", 2, func(b *testing.B, f *lifeFixture, i int) {
		if i > 0 && i%f.cycle == 0 {
			b.StopTimer()
			must(b, f.rebuild())
			b.StartTimer()
		}
		t := f.tech
		t.ID, t.Name = lifeIDs+int64(i), "New"
		must(b, f.e.AddTechnician(t))
		f.query()
		_, err := f.e.CreateShifts(shifts.CreateRequest{TechnicianIDs: []int64{t.ID}, Type: shifts.Normal, Title: "Day",
			Start: f.shift.Start, End: f.shift.End})
		must(b, err)
		f.query()
	})
	return s
}

// rebuild replaces the fixture's engine by a fresh build of its records
// as they were first built (the added technicians dropped).
func (f *lifeFixture) rebuild() error {
	d := f.e.Data()
	d.Technicians = d.Technicians[:0:0]
	for _, t := range f.e.Technicians() {
		if t.ID < lifeIDs {
			d.Technicians = append(d.Technicians, t)
		}
	}
	var keep []shifts.Shift
	for _, sh := range d.Shifts {
		if sh.TechnicianID < lifeIDs {
			keep = append(keep, sh)
		}
	}
	d.Shifts = keep
	e, err := capacity.New(d, capacity.WithClock(benchdata.Clock))
	if err != nil {
		return err
	}
	f.e = e
	return nil
}

// addTechnician compares adding one technician to a built engine
// (impl=engine), in cycles of techs/8 additions from a fresh build, with
// building the engine over the records with that technician
// (impl=build), which is what one would do without AddTechnician. The
// first addition of a cycle lays the rows out again (a build leaves no
// spare column): ns/relayout is its mean time, ns/op the amortized cost.
func addTechnician(impl string) func(b *testing.B, prof string) {
	return func(b *testing.B, prof string) {
		f := newLifeFixture(b, prof)
		d := f.e.Data()
		must(b, f.rebuild())
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			t := f.tech
			t.ID, t.Name = lifeIDs+int64(i), "New"
			switch impl {
			case "engine":
				if i > 0 && i%f.cycle == 0 {
					b.StopTimer()
					must(b, f.rebuild())
					b.StartTimer()
				}
				start := time.Now()
				must(b, f.e.AddTechnician(t))
				if i%f.cycle == 0 {
					f.relayouts++
					f.relayoutNanoseconds += time.Since(start).Nanoseconds()
				}
			case "build":
				d.Technicians = append(d.Technicians[:f.techs:f.techs], t)
				e, err := capacity.New(d, capacity.WithClock(benchdata.Clock))
				must(b, err)
				sinkEngine = e
			}
			i++
		}
		if f.relayouts > 0 {
			b.ReportMetric(float64(f.relayoutNanoseconds)/float64(f.relayouts), "ns/relayout")
		}
	}
}

var sinkEngine *capacity.Engine
