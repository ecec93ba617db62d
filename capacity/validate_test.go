package capacity_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/shifts"
)

// refRecordErrors is the record checks of Data.Validate for appointments
// and assignments written the obvious way, with maps: the reference the
// sorted walks of Validate are checked against.
func refRecordErrors(d *capacity.Data) []string {
	var out []string
	add := func(path, format string, args ...any) { out = append(out, path+": "+fmt.Sprintf(format, args...)) }
	techs := map[int64]bool{}
	for _, t := range d.Technicians {
		techs[t.ID] = true
	}
	appts := map[int64]int{}
	for i, a := range d.Appointments {
		if a.ID <= 0 {
			add(fmt.Sprintf("appointments[%d].id", i), "capacity: id %d must be positive", a.ID)
		} else if j, dup := appts[a.ID]; dup {
			add(fmt.Sprintf("appointments[%d].id", i), "capacity: duplicate id %d (also appointments[%d])", a.ID, j)
		} else {
			appts[a.ID] = i
		}
	}
	ids := map[int64]int{}
	for i, a := range d.Assignments {
		if a.ID <= 0 {
			add(fmt.Sprintf("assignments[%d].id", i), "capacity: id %d must be positive", a.ID)
		} else if j, dup := ids[a.ID]; dup {
			add(fmt.Sprintf("assignments[%d].id", i), "capacity: duplicate id %d (also assignments[%d])", a.ID, j)
		} else {
			ids[a.ID] = i
		}
	}
	var current [][3]int64
	for i, a := range d.Assignments {
		path := fmt.Sprintf("assignments[%d]", i)
		k, ok := appts[a.AppointmentID]
		if !ok {
			add(path+".jobAppointmentId", "capacity: unknown appointment %d", a.AppointmentID)
		}
		if !techs[a.TechnicianID] {
			add(path+".technicianId", "capacity: unknown technician %d", a.TechnicianID)
		}
		switch a.Status {
		case capacity.Assigned:
			current = append(current, [3]int64{a.AppointmentID, a.TechnicianID, int64(i)})
			if ok && d.Appointments[k].Canceled {
				add(path+".status", "capacity: appointment %d is canceled; its records must be Unassigned", a.AppointmentID)
			}
		case capacity.Unassigned:
			if a.UnassignedOn.IsZero() {
				add(path+".unassignedOn", "capacity: an Unassigned record needs unassignedOn")
			}
		default:
			add(path+".status", "capacity: status must be Assigned or Unassigned")
		}
	}
	slices.SortFunc(current, func(x, y [3]int64) int { return slices.Compare(x[:], y[:]) })
	for k := 1; k < len(current); k++ {
		if x, y := current[k-1], current[k]; x[0] == y[0] && x[1] == y[1] {
			add(fmt.Sprintf("assignments[%d]", y[2]), "capacity: technician %d is already assigned to appointment %d by assignments[%d]", y[1], y[0], x[2])
		}
	}
	return out
}

// TestValidateRecordsAgainstMaps: on random appointments and ledgers
// with ids from a small range (so that they repeat, are zero or
// negative) and references that may be unknown, Validate reports the
// same problems in the same order as the map-based reference, and New
// refuses with them rather than panicking.
func TestValidateRecordsAgainstMaps(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	problems := 0
	props.Property("Validate = reference", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 2))
		d := oneTech()
		d.Technicians = append(d.Technicians, capacity.Technician{ID: 102, Name: "Bo", BusinessUnitID: 1})
		far := int64(102)
		if r.IntN(2) == 0 { // ids far apart are looked up otherwise than close ones
			far = 1 << 40
			d.Technicians = append(d.Technicians, capacity.Technician{ID: far, Name: "Far", BusinessUnitID: 1})
		}
		base := d.Appointments[0]
		d.Appointments = nil
		distinct := r.IntN(3) == 0 // ids all valid, as most files have them
		for i := range r.IntN(12) {
			a := base
			a.ID = int64(r.IntN(8)) - 1
			if distinct {
				a.ID = int64(2*i + 1)
			}
			a.Canceled = r.IntN(4) == 0
			d.Appointments = append(d.Appointments, a)
		}
		d.Assignments = nil
		for range r.IntN(16) {
			id := int64(r.IntN(10)) - 1
			if distinct {
				id = int64(len(d.Assignments) + 1)
			}
			d.Assignments = append(d.Assignments, capacity.Assignment{ID: id, AppointmentID: int64(r.IntN(8)) - 1,
				TechnicianID: []int64{101, 102, 103, far, far + 1}[r.IntN(5)], Status: capacity.Status(r.IntN(4)), UnassignedOn: []time.Time{{}, time.Unix(1_800_000_000, 0)}[r.IntN(2)]})
		}
		// Records in id order (as the engine writes them) take other paths.
		if r.IntN(2) == 0 {
			slices.SortStableFunc(d.Appointments, func(a, b capacity.Appointment) int { return cmp.Compare(a.ID, b.ID) })
		}
		if r.IntN(2) == 0 {
			slices.SortStableFunc(d.Assignments, func(a, b capacity.Assignment) int { return cmp.Compare(a.AppointmentID, b.AppointmentID) })
		}
		want := refRecordErrors(&d)
		problems += len(want)
		var got []string
		if err := d.Validate(); err != nil {
			got = strings.Split(err.Error(), "\n")
		}
		if !slices.Equal(got, want) {
			return fmt.Sprintf("Validate:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		_, err := capacity.New(d)
		if (err == nil) != (len(want) == 0) || err != nil && err.Error() != strings.Join(want, "\n") {
			return fmt.Sprintf("New: %v\nwant:\n%s", err, strings.Join(want, "\n"))
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("%d problems compared", problems)
	if problems == 0 {
		t.Error("no problem generated: the test checks nothing")
	}
}

// TestShiftDates: the catalog's dates found among day boundaries are the
// dates the sweep in start order finds, and those of a slow reference
// reading each shift's local dates through package time, in zones with daylight saving
// time at 02:00, at midnight (America/Havana, America/Santiago) and by 30
// minutes (Australia/Lord_Howe), for random shifts over weeks and years.
func TestShiftDates(t *testing.T) {
	var engines []*capacity.Engine
	for _, zone := range []string{"America/Denver", "UTC", "America/Havana", "America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu"} {
		sched, err := hours.Compile(hours.Rules{TimeZone: zone})
		if err != nil {
			t.Fatal(err)
		}
		e, err := capacity.New(capacity.Data{Schedule: sched})
		if err != nil {
			t.Fatal(err)
		}
		engines = append(engines, e)
	}
	props := gopter.NewProperties(proptest.Params(t, 1000))
	total := 0
	props.Property("boundaries = sweep", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 3))
		e := engines[r.IntN(len(engines))]
		spread := []int64{14 * 86400, 400 * 86400, 30 * 365 * 86400}[r.IntN(3)]
		base := int64(1_700_000_000) + r.Int64N(365*86400)
		var list []shifts.Shift
		for i := range r.IntN(40) {
			start := base + r.Int64N(spread)
			length := []int64{1, 3600, 9 * 3600, 86400, shifts.MaxLength}[r.IntN(5)]
			list = append(list, shifts.Shift{ID: int64(i + 1), TechnicianID: 1, Type: shifts.Type(1 + r.IntN(3)),
				Start: time.Unix(start, 0), End: time.Unix(start+length-r.Int64N(2)*int64(r.IntN(2)), 0), Inactive: r.IntN(5) == 0})
		}
		bounds, sweep := e.ShiftDates(list)
		total += len(bounds)
		if !slices.Equal(bounds, sweep) {
			return fmt.Sprintf("%v: boundaries %v, sweep %v", e.Location(), bounds, sweep)
		}
		// The slow reference: each active Normal shift's local dates by
		// package time, widened by a day each side, sorted and distinct.
		var want []hours.Date
		date := func(u int64) hours.Date { return hours.DateOf(time.Unix(u, 0).In(e.Location()).Date()) }
		for _, sh := range list {
			if s, en := sh.Start.Unix(), sh.End.Unix(); sh.Type == shifts.Normal && sh.IsActive() && en > s {
				for d := date(s) - 1; d <= date(en-1)+1; d++ {
					want = append(want, d)
				}
			}
		}
		slices.Sort(want)
		if want = slices.Compact(want); !slices.Equal(bounds, want) {
			return fmt.Sprintf("%v: boundaries %v, want %v", e.Location(), bounds, want)
		}
		return ""
	}, gen.UInt64()))
	proptest.Run(t, props)
	t.Logf("%d dates compared", total)
}

// TestAppointmentInstantBounds checks Validate's range check of an
// appointment's instants, which compares Unix seconds, against
// hours.CheckInstant at and around both bounds (a nanosecond and a
// second either side, in UTC and in zones either side of it), in each of
// the four fields.
func TestAppointmentInstantBounds(t *testing.T) {
	tokyo := time.FixedZone("UTC+9", 9*3600)
	honolulu := time.FixedZone("UTC-10", -10*3600)
	var instants []time.Time
	for _, b := range []time.Time{hours.MinInstant, hours.MaxInstant} {
		for _, d := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
			for _, loc := range []*time.Location{time.UTC, tokyo, honolulu, denver} {
				instants = append(instants, b.Add(d).In(loc))
			}
		}
	}
	fields := []struct {
		name string
		set  func(a *capacity.Appointment, x time.Time)
	}{
		{"start", func(a *capacity.Appointment, x time.Time) { a.Start = x }},
		{"end", func(a *capacity.Appointment, x time.Time) { a.End = x }},
		{"arrivalWindowStart", func(a *capacity.Appointment, x time.Time) { a.ArrivalWindowStart = x }},
		{"arrivalWindowEnd", func(a *capacity.Appointment, x time.Time) { a.ArrivalWindowEnd = x }},
	}
	for _, f := range fields {
		for _, x := range instants {
			d := oneTech()
			f.set(&d.Appointments[2], x)
			err := d.Validate()
			want := hours.CheckInstant(x) != nil
			prefix := "appointments[2]." + f.name + ": capacity: hours: date-time "
			got := err != nil && strings.Contains(err.Error(), prefix)
			if got != want {
				t.Errorf("%s = %s: reported %v, hours.CheckInstant %v (error: %v)", f.name, x.Format(time.RFC3339Nano), got, want, err)
			}
		}
	}
}
