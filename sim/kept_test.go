package sim_test

import (
	"math"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
)

// TestKeptBookCarriedOut: with tenant.keepAppointments and almost no
// demand (s/keep0.json), the kept book's assigned appointments are
// carried out: with exact durations and no driving, the time on site in
// the measured span is exactly the kept book's assigned hours in it, and
// utilisation, jobs and technician-days follow (review 5, finding 7:
// they read 0 with a full book). Unassigned kept appointments are a
// warning.
func TestKeptBookCarriedOut(t *testing.T) {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	d := ten.Engine.Data()
	s := sim.Default()
	s.Variants = nil
	s.Tenant.KeepAppointments = true
	s.Days, s.WarmupDays, s.Replications = 12, 0, 2
	s.Demand.CallsPerDay = 0.001
	s.Execution.DurationCV, s.Execution.DetourFactor, s.Execution.SpeedKmh = 0, 0, 0
	loc := d.Schedule.Location()
	first := mustDate(t, s.Start)
	from, to := hours.DayStart(loc, first), hours.DayStart(loc, first+hours.Date(s.Days))
	unitOf := make(map[int64]int64) // technician id → business unit id
	for _, tc := range d.Technicians {
		unitOf[tc.ID] = tc.BusinessUnitID
	}
	want, jobs, pending := int64(0), int64(0), 0
	wantUnit := make(map[int64]int64) // business unit id → kept seconds in the span
	for _, a := range d.Appointments {
		_, techs, _ := ten.Engine.Appointment(a.ID)
		st, en := a.Start.Unix(), a.End.Unix()
		if len(techs) == 0 {
			if st >= from {
				pending++
			}
			continue
		}
		if lo, hi := max(st, from), min(en, to); hi > lo {
			want += int64(len(techs)) * (hi - lo)
			for _, tc := range techs {
				wantUnit[unitOf[tc]] += hi - lo
			}
		}
		if st >= from && st < to {
			jobs += int64(len(techs))
		}
	}
	if want == 0 {
		t.Fatal("the demo's kept book has no assigned hours in the span")
	}
	res := simulate(t, s, d, sim.Options{})
	for _, r := range res.Runs {
		if r.Calls > 0 {
			t.Skipf("replication %d drew a call", r.Replication)
		}
		if r.OnSiteAll != want {
			t.Errorf("replication %d: on site %v, want the kept book's %v", r.Replication, time.Duration(r.OnSiteAll)*time.Second, time.Duration(want)*time.Second)
		}
		if r.Jobs != jobs {
			t.Errorf("replication %d: %d jobs, want the kept book's %d", r.Replication, r.Jobs, jobs)
		}
		// Each job is its own technician's: a unit is on site only when
		// the book gives its technicians work, and never beyond its
		// working time (every kept job was once put on the first
		// technician: one unit over 100%, the others at 0).
		for ui, u := range r.Units {
			lab := res.Labels.BusinessUnits[ui]
			if u.OnSiteSeconds > u.WorkingSeconds || (wantUnit[lab.ID] > 0) != (u.OnSiteSeconds > 0) {
				t.Errorf("replication %d, unit %d %s: on site %v in %v working, the kept book gives it %v",
					r.Replication, lab.ID, lab.Name, time.Duration(u.OnSiteSeconds)*time.Second,
					time.Duration(u.WorkingSeconds)*time.Second, time.Duration(wantUnit[lab.ID])*time.Second)
			}
		}
	}
	u := kpi(res.Summary.Variants[0], "utilisation").Mean
	if r := res.Runs[0]; u <= 0 || math.Abs(u-100*float64(r.OnSiteSeconds)/float64(r.WorkingSeconds)) > 1e-9 {
		t.Errorf("utilisation %v%%, want %v%% > 0", u, 100*float64(r.OnSiteSeconds)/float64(r.WorkingSeconds))
	}
	if math.Round(u) != 55 || pending != 65 {
		t.Errorf("utilisation %.2f%%, %d unassigned kept appointments; docs/simulation.md says 55%% and 65", u, pending)
	}
	if j := kpi(res.Summary.Variants[0], "jobsPerTechnicianDay").Mean; j <= 0 {
		t.Errorf("jobs per technician-day %v, want > 0", j)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w, "have no technician assigned")
	}
	if warned != (pending > 0) {
		t.Errorf("%d unassigned kept appointments, warnings %q", pending, res.Warnings)
	}
	t.Logf("kept book: %d jobs, %v on site, %d unassigned; utilisation %.2f%%", jobs, time.Duration(want)*time.Second, pending, u)
}

func mustDate(t testing.TB, s string) hours.Date {
	d, err := hours.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
