package edge_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/zones"
)

// step is one lifecycle change, run on two engines: once with clean
// inputs, and once with every input scribbled over after the call and
// every output scribbled over as it comes back (scr set).
type step struct {
	name string
	run  func(t *testing.T, e *capacity.Engine, scr bool)
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// scr scribbles over each value when on is set.
func scr(on bool, vs ...any) {
	if on {
		for _, v := range vs {
			scribble(v)
		}
	}
}

func lifecycle(t *testing.T) []step {
	tue := func(s string) time.Time { return denver(t, "2027-03-09T"+s) }
	return []step{
		{"AddTechnician", func(t *testing.T, e *capacity.Engine, on bool) {
			tc := capacity.Technician{ID: 150, Name: "New", BusinessUnitID: 1, Skills: []string{"HVAC", "EPA 608"},
				ZoneIDs: []int64{1, 3}, Home: &capacity.Point{Latitude: 39.7, Longitude: -105}}
			must(t, "add", e.AddTechnician(tc))
			scr(on, &tc)
		}},
		{"CreateShifts", func(t *testing.T, e *capacity.Engine, on bool) {
			req := shifts.CreateRequest{TechnicianIDs: []int64{150, 101}, Type: shifts.Normal, Title: "Extra",
				Start: tue("06:00"), End: tue("19:00")}
			got, err := e.CreateShifts(req)
			must(t, "create", err)
			scr(on, &req, got)
		}},
		{"UpdateTechnician", func(t *testing.T, e *capacity.Engine, on bool) {
			tc, ok := e.Technician(102)
			if !ok {
				t.Fatal("no technician 102")
			}
			scr(on, &tc) // the copy returned is the caller's
			tc, _ = e.Technician(102)
			tc.Skills = append(tc.Skills, "Gas")
			tc.ZoneIDs = []int64{2}
			must(t, "update", e.UpdateTechnician(tc))
			scr(on, &tc)
		}},
		{"AddAppointment+Assign", func(t *testing.T, e *capacity.Engine, on bool) {
			a := capacity.Appointment{ID: 9001, JobTypeID: 101, BusinessUnitID: 1, Start: tue("10:00"), End: tue("11:30"),
				ArrivalWindowStart: tue("10:00"), ArrivalWindowEnd: tue("12:00"), Zip: "80203"}
			must(t, "add appointment", e.AddAppointment(a))
			scr(on, &a)
			ids := []int64{150}
			by := &capacity.Actor{ID: 7, Name: "Dispatcher"}
			recs, warns, err := e.Assign(9001, ids, by)
			must(t, "assign", err)
			scr(on, ids, by, recs, warns)
			ap, techs, _ := e.Appointment(9001)
			scr(on, &ap, techs)
		}},
		{"CheckAssignment", func(t *testing.T, e *capacity.Engine, on bool) {
			ids := []int64{101, 102}
			w, err := e.CheckAssignment(9001, ids)
			must(t, "check", err)
			scr(on, ids, w)
		}},
		{"Reschedule", func(t *testing.T, e *capacity.Engine, on bool) {
			w, err := e.RescheduleAppointment(9001, capacity.Reschedule{Start: tue("12:00"), End: tue("13:30")})
			must(t, "reschedule", err)
			scr(on, w)
		}},
		{"Unassign", func(t *testing.T, e *capacity.Engine, on bool) {
			ids := []int64{101}
			by := &capacity.Actor{ID: 8, Name: "Other"}
			recs, err := e.Unassign(5001, ids, by)
			must(t, "unassign", err)
			scr(on, ids, by, recs)
		}},
		{"Cancel", func(t *testing.T, e *capacity.Engine, on bool) {
			recs, err := e.CancelAppointment(5002)
			must(t, "cancel", err)
			scr(on, recs)
		}},
		{"UpdateShift", func(t *testing.T, e *capacity.Engine, on bool) {
			all := e.Shifts().All()
			sh := all[len(all)-1]
			scr(on, all)
			c := sh.Change()
			c.End = c.End.Add(time.Hour)
			got, err := e.UpdateShift(sh.ID, c)
			must(t, "update shift", err)
			scr(on, &c, &got)
			if g, ok := e.Shifts().Get(sh.ID); ok {
				scr(on, &g)
			}
			page, err := e.Shifts().List(shifts.ListQuery{Query: paging.Query{}})
			must(t, "list", err)
			scr(on, &page)
		}},
		{"Groups", func(t *testing.T, e *capacity.Engine, on bool) {
			gs := e.BusinessUnitGroups()
			scr(on, gs)
			r := 5
			g := capacity.BusinessUnitGroup{ID: 2, Name: "Trades", BusinessUnitIDs: []int64{2, 3}, ReservePercentage: &r}
			must(t, "add group", e.AddGroup(g))
			scr(on, &g)
			r2 := 10
			must(t, "set", e.SetGroupPercentages(2, 90, &r2))
			scr(on, &r2)
			r3 := 7
			g = capacity.BusinessUnitGroup{ID: 2, Name: "Trades", BusinessUnitIDs: []int64{3, 2}, ReservePercentage: &r3}
			must(t, "change group", e.ChangeGroup(g))
			scr(on, &g)
		}},
		{"Rules", func(t *testing.T, e *capacity.Engine, on bool) {
			rs := e.Rules()
			scr(on, rs)
			r := capacity.Rule{ID: 2, Name: "Repairs", JobTypeIDs: []int64{101, 201}, BusinessUnitIDs: []int64{1, 2}, MaxPercentage: 50}
			must(t, "add rule", e.AddRule(r))
			scr(on, &r)
			r = capacity.Rule{ID: 2, Name: "Repairs", JobTypeIDs: []int64{101}, MaxPercentage: 40}
			must(t, "change rule", e.ChangeRule(r))
			scr(on, &r)
		}},
		{"Adjustments", func(t *testing.T, e *capacity.Engine, on bool) {
			as := e.Adjustments()
			scr(on, as)
			a := as[0]
			if on {
				a = e.Adjustments()[0]
			}
			a.ID, a.Minutes, a.CreatedBy = 77, -30, &capacity.Actor{ID: 3, Name: "Planner"}
			must(t, "add adjustment", e.AddAdjustment(a))
			scr(on, &a)
			a = capacity.Adjustment{ID: 77, Date: as[0].Date, From: as[0].From, To: as[0].To, Minutes: 45,
				CreatedBy: &capacity.Actor{ID: 4, Name: "Lead"}}
			if on {
				a.Date, a.From, a.To = e.Adjustments()[0].Date, e.Adjustments()[0].From, e.Adjustments()[0].To
			}
			must(t, "change adjustment", e.ChangeAdjustment(a))
			scr(on, &a)
		}},
		{"Deactivate", func(t *testing.T, e *capacity.Engine, on bool) {
			must(t, "deactivate", e.DeactivateTechnician(103))
			_, err := e.DeactivateShift(1)
			must(t, "deactivate shift", err)
		}},
		{"Reads", func(t *testing.T, e *capacity.Engine, on bool) {
			d := e.Data()
			ts := e.Technicians()
			jt, _ := e.JobType(101)
			page, err := e.Assignments(capacity.AssignmentQuery{})
			must(t, "assignments", err)
			zs := e.Zones().Zones()
			z, _ := e.Zones().Zone(1)
			ids, err := e.Zones().LookupZip("80203")
			must(t, "lookup", err)
			cities := e.Zones().LookupCity("Denver")
			res, err := e.Capacity(probes(t)[3])
			must(t, "capacity", err)
			w := e.Working(101, denver(t, "2027-03-08"), denver(t, "2027-03-22"))
			spans := w.Spans()
			scr(on, &d, ts, &jt, &page, zs, &z, ids, cities, res, spans)
		}},
	}
}

// TestAliasing runs the lifecycle on two engines built from equal data,
// one of which has every slice and pointer passed in or handed back
// scribbled over after the call (the data given to New included): after
// each step both must answer alike. An engine that kept a caller's slice,
// or handed out its own, answers differently.
func TestAliasing(t *testing.T) {
	orig := demoData(t)
	reqs := probes(t)
	clean := newEngine(t, cloneData(orig))
	mine := cloneData(orig)
	dirty := newEngine(t, mine)
	scribble(&mine)
	sameAnswers(t, "after New", answersOf(t, clean, reqs), answersOf(t, dirty, reqs))
	for i, s := range lifecycle(t) {
		s.run(t, clean, false)
		s.run(t, dirty, true)
		sameAnswers(t, fmt.Sprintf("after step %d %s", i, s.name), answersOf(t, clean, reqs), answersOf(t, dirty, reqs))
	}
}

// TestResponsesKept: a response the caller keeps is not changed by later
// queries (the engine builds answers in pooled scratch space).
func TestResponsesKept(t *testing.T) {
	e := newEngine(t, demoData(t))
	reqs := probes(t)
	var kept []*capacity.Response
	var want []string
	for _, r := range reqs {
		res, err := e.Capacity(r)
		must(t, "capacity", err)
		b, _ := res.MarshalJSON()
		kept = append(kept, res)
		want = append(want, string(b))
	}
	for range 3 {
		for _, r := range reqs {
			res, err := e.Capacity(r)
			must(t, "capacity", err)
			scribble(res)
		}
	}
	for i, res := range kept {
		if b, _ := res.MarshalJSON(); string(b) != want[i] {
			t.Errorf("response %d changed after later queries", i)
		}
	}
}

// TestDataRoundTrip: an engine rebuilt from Data answers as the engine
// did, after every lifecycle step.
func TestDataRoundTrip(t *testing.T) {
	e := newEngine(t, demoData(t))
	reqs := probes(t)
	for i, s := range lifecycle(t) {
		s.run(t, e, false)
		again := newEngine(t, e.Data())
		sameAnswers(t, fmt.Sprintf("New(Data()) after step %d %s", i, s.name), answersOf(t, e, reqs), answersOf(t, again, reqs))
	}
}

// TestPackagesKeepTheirOwn: the lower packages' constructors keep their
// own copies of what they are given, and their accessors hand out copies:
// zones.New and Directory.Zones and Zone, hours.Compile and
// Schedule.Rules, shifts.NewStore, and tenant.Build and Tenant.File.
func TestPackagesKeepTheirOwn(t *testing.T) {
	t.Run("zones", func(t *testing.T) {
		mk := func() []zones.Zone {
			active := true
			return []zones.Zone{{ID: 1, Name: "Central", Zips: []string{"80202"}, Cities: []string{"Denver"}, Active: &active},
				{ID: 2, Name: "South", Zips: []string{"80120"}, Cities: []string{"Littleton"}}}
		}
		in := mk()
		d, err := zones.New(in)
		must(t, "new", err)
		want := d.Zones()
		scribble(&in)
		z, _ := d.Zone(1)
		scribble(&z)
		scribble(d.Zones())
		if got := d.Zones(); !cmp.Equal(want, got) || !cmp.Equal(mk(), got) {
			t.Errorf("zones changed by the caller's slices: %s", cmp.Diff(mk(), got))
		}
	})
	t.Run("hours", func(t *testing.T) {
		mk := func() hours.Rules {
			on := true
			return hours.Rules{TimeZone: "America/Denver",
				BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{{Weekday: "Tuesday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "12:00"}}}}},
				Exceptions:    []hours.Exception{{Date: "2027-03-16", TimeSlots: []hours.TimeSlot{{From: "09:00", To: "10:00"}}}},
				ArrivalWindows: []hours.ArrivalWindow{{ID: 1, From: "08:00", To: "10:00", Weekdays: []string{"Tuesday"},
					BusinessUnitIDs: []int64{1}, Active: &on}}}
		}
		in := mk()
		s, err := hours.Compile(in)
		must(t, "compile", err)
		scribble(&in)
		r := s.Rules()
		scribble(&r)
		if got := s.Rules(); !cmp.Equal(mk(), got) {
			t.Errorf("rules changed by the caller's slices: %s", cmp.Diff(mk(), got))
		}
	})
	t.Run("shifts", func(t *testing.T) {
		mk := func() []shifts.Shift {
			return []shifts.Shift{{ID: 1, TechnicianID: 7, Type: shifts.Normal, Title: "Day",
				Start: denver(t, "2027-03-09T08:00"), End: denver(t, "2027-03-09T16:00")}}
		}
		in := mk()
		st, err := shifts.NewStore(nil, nil, in...)
		must(t, "new store", err)
		scribble(in)
		scribble(st.All())
		if got := st.All(); !cmp.Equal(mk(), got, cmpOpts) {
			t.Errorf("shifts changed by the caller's slices: %s", cmp.Diff(mk(), got, cmpOpts))
		}
	})
	t.Run("tenant", func(t *testing.T) {
		f, err := tenant.Decode(dispatch.DemoTenant)
		must(t, "decode", err)
		tn, err := tenant.Build(f)
		must(t, "build", err)
		want := answersOf(t, tn.Engine, probes(t))
		var before bytes.Buffer
		must(t, "save", tn.Save(&before))
		scribble(f)
		scribble(tn.File())
		sameAnswers(t, "after the file was scribbled over", want, answersOf(t, tn.Engine, probes(t)))
		var after bytes.Buffer
		must(t, "save", tn.Save(&after))
		if !bytes.Equal(before.Bytes(), after.Bytes()) {
			t.Error("the saved file changed after the caller scribbled over its File")
		}
	})
}
