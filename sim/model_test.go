package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
)

// aroundTheClock has c technicians on one shift covering [from, to), 24/7
// business hours in UTC and one 60-minute job type.
func aroundTheClock(t *testing.T, c int, from, to int64) capacity.Data {
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "UTC", BusinessHours: bh})
	if err != nil {
		t.Fatal(err)
	}
	d := capacity.Data{Schedule: sched, BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "U"}},
		JobTypes: []capacity.JobType{{ID: 1, Name: "J", DurationMinutes: 60}}}
	for i := range c {
		d.Technicians = append(d.Technicians, capacity.Technician{ID: int64(i + 1), Name: fmt.Sprint(i), BusinessUnitID: 1})
		for s := from; s < to; s += 7 * 86400 {
			d.Shifts = append(d.Shifts, shifts.Shift{ID: int64(len(d.Shifts) + 1), TechnicianID: int64(i + 1), Type: shifts.Normal, Start: time.Unix(s, 0).UTC(), End: time.Unix(min(s+7*86400, to), 0).UTC()})
		}
	}
	return d
}

func queueStudy(c int, a float64, patient bool) Scenario {
	s := Default()
	s.Start, s.Days, s.WarmupDays = "2027-01-04", 6, 1
	s.Roster = Roster{}
	w := make([]float64, 168)
	for i := range w {
		w[i] = 1
	}
	s.Demand = Demand{CallsPerDay: a * 24, EmergencyShare: 1, HourOfWeek: w}
	s.Booking.EmergencyMaxWaitMinutes = 0
	if patient {
		s.Booking.EmergencyMaxWaitMinutes = maxWaitMinutes
	}
	s.Execution = Execution{Exponential: true}
	s.Dispatch.Policy = "first-available"
	s.Replications, s.Variants = 2, nil
	return s
}

// runRep builds world and replication idx of s over d and runs it,
// recording every call.
func runRep(t *testing.T, s Scenario, d capacity.Data, idx int) (*rep, [][2]int64, []job) {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	w, err := newWorld(&s, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := newRep(w, idx, true)
	if err != nil {
		t.Fatal(err)
	}
	var calls [][2]int64
	var done []job
	r.onCall = func(now, actual int64) { calls = append(calls, [2]int64{now, actual}) }
	r.onDone = func(j *job) { done = append(done, *j) }
	r.run()
	return r, calls, done
}

// TestQueueReference compares the simulator, call by call, with the
// Kiefer–Wolfowitz recursion of the multi-server queue on the same
// arrivals and durations: with infinite patience each call waits until
// the earliest of c servers is free (ties to the lowest), with none it is
// lost unless one is free on arrival. Waits and losses must agree
// exactly — a differential test of first come, first served by earliest
// availability, independent of any statistics.
func TestQueueReference(t *testing.T) {
	for _, tc := range []struct {
		c       int
		a       float64
		patient bool
	}{{1, 0.9, true}, {5, 4.5, true}, {30, 28, true}, {5, 4.5, false}, {30, 28, false}} {
		t.Run(fmt.Sprintf("c=%d/A=%g/patient=%v", tc.c, tc.a, tc.patient), func(t *testing.T) {
			s := queueStudy(tc.c, tc.a, tc.patient)
			first := mustDate(s.Start)
			d := aroundTheClock(t, tc.c, hours.DayStart(time.UTC, first-1), hours.DayStart(time.UTC, first+60))
			_, calls, jobs := runRep(t, s, d, 0)
			free := make([]int64, tc.c)
			byCall := map[int64][]*job{}
			for i := range jobs {
				byCall[jobs[i].call] = append(byCall[jobs[i].call], &jobs[i])
			}
			waits, lost := 0, 0
			for _, c := range calls {
				now, dur := c[0], c[1]
				best := -1
				for i, f := range free {
					if best < 0 || max(f, now) < max(free[best], now) {
						best = i
					}
				}
				at := max(free[best], now)
				js := byCall[now]
				if !tc.patient && at > now {
					lost++
					for _, j := range js {
						if j.actualDur == dur {
							t.Fatalf("call at %d: the reference loses it, the simulator booked it", now)
						}
					}
					continue
				}
				free[best] = at + dur
				var j *job
				for _, x := range js {
					if x.actualDur == dur {
						j = x
					}
				}
				if j == nil {
					t.Fatalf("call at %d (%d s): the reference serves it at %d, the simulator lost it", now, dur, at)
				}
				if j.depart-j.call != at-now || j.arrive != at || j.tech != int32(best) {
					t.Fatalf("call at %d: simulator waits %d on technician %d, the reference %d on %d", now, j.depart-j.call, j.tech, at-now, best)
				}
				if at > now {
					waits++
				}
			}
			t.Logf("%d calls, %d waited, %d lost", len(calls), waits, lost)
			if len(calls) < 100 || (tc.patient && waits == 0) || (!tc.patient && lost == 0) {
				t.Errorf("too little happened to compare: %d calls, %d waits, %d lost", len(calls), waits, lost)
			}
		})
	}
}

// TestMirrorMatchesEngine: the replication's copy of each technician's
// free time agrees with the capacity engine's, per day and for earliest
// arrivals, at the end of a default-scenario replication.
func TestMirrorMatchesEngine(t *testing.T) {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	s := Default()
	s.Variants = nil
	r, calls, _ := runRep(t, s, ten.Engine.Data(), 1)
	eng, err := r.board()
	if err != nil {
		t.Fatal(err)
	}
	last := calls[len(calls)-1][0]
	g := rand.New(rand.NewPCG(1, 2))
	// The engine's queries in the mirror's units, Unix seconds.
	load := func(id, a, b int64) (work, booked int64) {
		w, bk := eng.Load(id, time.Unix(a, 0), time.Unix(b, 0))
		return int64(w / time.Second), int64(bk / time.Second)
	}
	arrival := func(id, a, b, d int64) (int64, bool) {
		t, ok := eng.Arrival(id, time.Unix(a, 0), time.Unix(b, 0), time.Duration(d)*time.Second)
		if !ok {
			return 0, false
		}
		return t.Unix(), true
	}
	for ti, tr := range r.techs {
		// The daily loads the dispatch policies read.
		for d := range r.w.ndays {
			work, booked := load(tr.id, r.w.dayStart(d), r.w.dayStart(d+1))
			if got := r.w.workDay[d*len(r.techs)+ti] - r.freeDay[d*len(r.techs)+ti]; r.w.workDay[d*len(r.techs)+ti] != work || got != booked {
				t.Fatalf("technician %d, date %d: mirror works %d s and has %d booked, the engine %d and %d", tr.id, d, r.w.workDay[d*len(r.techs)+ti], got, work, booked)
			}
		}
		for from := last; from < r.w.last; from += 86400 {
			work, booked := load(tr.id, from, from+86400)
			if got := tr.free.measureIn(from, from+86400); got != work-booked {
				t.Fatalf("technician %d from %d: mirror has %d s free, the engine %d", tr.id, from, got, work-booked)
			}
		}
		for range 50 {
			a := last + g.Int64N(r.w.last-last)
			b := a + g.Int64N(3*86400)
			dur := g.Int64N(5*3600) + 1
			got, ok := tr.free.earliestFit(a, b, dur)
			want, wok := arrival(tr.id, a, b, dur)
			if got != want || ok != wok {
				t.Fatalf("technician %d: earliest fit [%d, %d) for %d s: mirror %d %v, engine %d %v", tr.id, a, b, dur, got, ok, want, wok)
			}
		}
	}
}

// TestOvertime books jobs by hand and checks what counts as overtime:
// work past the end of the technician's block of working time, not
// midnight inside an overnight shift, not time that is the next block's.
func TestOvertime(t *testing.T) {
	loc := time.UTC
	day := hours.MustParseDate("2027-01-05") // a Tuesday, measured
	at := func(d hours.Date, h, m int) int64 { return hours.Local(loc, d, hours.Clock(h*60+m)) }
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, _ := hours.Compile(hours.Rules{TimeZone: "UTC", BusinessHours: bh})
	d := capacity.Data{Schedule: sched, BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "U"}},
		JobTypes:    []capacity.JobType{{ID: 1, Name: "J", DurationMinutes: 60}},
		Technicians: []capacity.Technician{{ID: 1, Name: "night", BusinessUnitID: 1}, {ID: 2, Name: "day", BusinessUnitID: 1}}}
	id := int64(0)
	for dd := day - 2; dd < day+20; dd++ {
		id++
		d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: 1, Type: shifts.Normal, Start: time.Unix(at(dd, 22, 0), 0).UTC(), End: time.Unix(at(dd+1, 6, 0), 0).UTC()})
		id++
		d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: 2, Type: shifts.Normal, Start: time.Unix(at(dd, 8, 0), 0).UTC(), End: time.Unix(at(dd, 17, 0), 0).UTC()})
	}
	s := queueStudy(1, 1, false)
	s.Execution = Execution{}
	w, err := newWorld(&s, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.envelope = 0 // no calls: the jobs below are all
	r, err := newRep(w, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	jt := &w.jobTypes[0]
	for _, j := range []struct {
		tech       int64
		start, dur int64
	}{
		{1, at(day, 23, 0), 2 * 3600},     // across midnight, inside the night shift: none
		{1, at(day+1, 5, 0), 2 * 3600},    // an hour past 06:00: 1 h
		{2, at(day, 15, 0), 4 * 3600},     // two hours past 17:00: 2 h
		{2, at(day+1, 16, 30), 16 * 3600}, // past 17:00 until 08:00, then the next day's shift: 15 h − 0 of it in the shift
		{2, at(day+3, 8, 0), 30 * 60},     // inside: none
	} {
		// Booked up front, all at one instant, as calls in time order would.
		r.book(int32(j.tech-1), jt, "", &job{call: at(day, 0, 0), emergency: true, plannedDur: j.dur, actualDur: j.dur, window: -1, planned: j.start}, j.start, j.start)
	}
	// The long job of technician 2 runs into the next day's shift at
	// 08:00 and is then in working time again: 15 hours of overtime
	// (17:00 to 08:00), not 23.5.
	var done []job
	r.onDone = func(j *job) { done = append(done, *j) }
	r.run()
	for _, j := range done {
		if j.depart != j.planned || j.finish != j.planned+j.actualDur {
			t.Errorf("job planned %d ran %d–%d", j.planned, j.depart, j.finish)
		}
	}
	want := int64((1 + 2 + 15) * 3600)
	if got := r.kpi.OvertimeSeconds; got != want {
		t.Errorf("overtime %.2f h, want %.2f h", float64(got)/3600, float64(want)/3600)
	}
}

// TestOffersMatchEngine runs replications with a capacity engine kept in
// step — every booking added and assigned there too — and, before each
// routine call is answered, compares the replication's own answer with
// the engine's for the booking horizon and twice it: every timeslot, in
// order, its availability, its ideal-percentage flag and its fitting
// technicians. The tenants cover every capacity control (groups, ideal
// and reserve percentages, travel buffers, priority job types,
// adjustments, rules) and a kept book with unassigned appointments.
func TestOffersMatchEngine(t *testing.T) {
	demo := func() capacity.Data {
		ten, err := tenant.Parse(dispatch.DemoTenant)
		if err != nil {
			t.Fatal(err)
		}
		return ten.Engine.Data()
	}
	type tc struct {
		name string
		s    Scenario
		d    capacity.Data
	}
	var cases []tc
	s := Default()
	s.Variants, s.Days = nil, 12
	cases = append(cases, tc{"demo", s, demo()})
	k := s
	k.Tenant.KeepAppointments = true
	k.Booking.OfferExceeding = false
	dk := demo()
	// Leave some of the book unassigned: pending work.
	dk.Assignments = dk.Assignments[:len(dk.Assignments)/2]
	cases = append(cases, tc{"demo kept", k, dk})
	for _, prof := range []string{"small", "medium"} {
		c := Default()
		c.Variants, c.Days, c.WarmupDays = nil, 10, 4
		c.Roster = Roster{TemplateStart: "2027-03-08"}
		c.Demand.JobTypes = nil
		c.Demand.CallsPerDay = 25
		if prof == "medium" {
			c.Demand.CallsPerDay = 250
		}
		c.Booking.OfferExceeding = prof == "small"
		cases = append(cases, tc{"controlled " + prof, c, benchdata.Controlled(prof)})
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Validate(); err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(tt.d.Technicians, func(a, b capacity.Technician) int { return cmp.Compare(a.ID, b.ID) })
			slices.SortFunc(tt.d.JobTypes, func(a, b capacity.JobType) int { return cmp.Compare(a.ID, b.ID) })
			w, err := newWorld(&tt.s, tt.d, nil)
			if err != nil {
				t.Fatal(err)
			}
			r, err := newRep(w, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			eng, err := capacity.New(w.data, capacity.WithMaxRange(time.Duration(2*w.booking.HorizonDays+2)*24*time.Hour),
				capacity.WithClock(func() time.Time { return time.Unix(0, 0).UTC() }))
			if err != nil {
				t.Fatal(err)
			}
			r.onBook = func(b booking) {
				if err := eng.AddAppointment(b.appt); err != nil {
					t.Fatal(err)
				}
				if _, _, err := eng.Assign(b.appt.ID, []int64{b.tech}, nil); err != nil {
					t.Fatal(err)
				}
			}
			calls, avail, held := 0, 0, 0
			r.onRoutine = func(c *class, zip string, now int64) {
				calls++
				for _, h := range []int64{1, 2} {
					to := now + h*int64(w.booking.HorizonDays)*86400
					resp, err := eng.Capacity(capacity.Request{StartsOnOrAfter: time.Unix(now, 0), EndsOnOrBefore: time.Unix(to, 0),
						BusinessUnitIDs: c.jt.BusinessUnitIDs, JobTypeID: c.jt.ID, SkillBasedAvailability: true, Zip: zip})
					if err != nil {
						t.Fatal(err)
					}
					var want []capacity.Timeslot
					for _, a := range resp.Availabilities {
						want = append(want, a.Timeslots...)
					}
					i := 0
					for k := r.slotsFrom(now); k < len(w.slots) && w.slots[k].Start < to; k++ {
						st := r.status(c, k, now, to)
						if st&slotListed == 0 {
							continue
						}
						av, ex := st&slotAvailable != 0, st&slotExceeding != 0
						if rv := st&slotReserved != 0; rv != (!ws0(want, i).UnavailableBecause.NoTechnicianFits && !ws0(want, i).UnavailableBecause.PoolExhausted &&
							(ws0(want, i).UnavailableBecause.ReserveHeld || len(ws0(want, i).UnavailableBecause.CapacityRules) > 0)) {
							t.Fatalf("call at %d, slot %d–%d: reserved %v, engine says %+v", now, w.slots[k].Start, w.slots[k].End, rv, ws0(want, i).UnavailableBecause)
						}
						if i >= len(want) {
							t.Fatalf("call at %d, job type %d, zip %q: the replication has slot %d–%d the engine has not", now, c.jt.ID, zip, w.slots[k].Start, w.slots[k].End)
						}
						ws := want[i]
						i++
						var ids []int64
						for _, ti := range r.fitting(c, k, nil) {
							ids = append(ids, w.techs[ti].ID)
						}
						if ws.Start.Unix() != w.slots[k].Start || ws.End.Unix() != w.slots[k].End || ws.IsAvailable != av ||
							ws.IsExceedingIdealBookingPercentage != ex || !slices.Equal(ws.TechnicianIDs, ids) {
							t.Fatalf("call at %d, job type %d, zip %q, slot %d–%d: replication available %v exceeding %v %v; engine %d–%d %v %v %v (%+v)",
								now, c.jt.ID, zip, w.slots[k].Start, w.slots[k].End, av, ex, ids, ws.Start.Unix(), ws.End.Unix(), ws.IsAvailable, ws.IsExceedingIdealBookingPercentage, ws.TechnicianIDs, ws.UnavailableBecause)
						}
						if av {
							avail++
						}
						if av && ex {
							held++
						}
					}
					if i != len(want) {
						t.Fatalf("call at %d: the engine has %d timeslots, the replication %d", now, len(want), i)
					}
				}
			}
			run := r.run()
			t.Logf("%d routine calls compared (%d available timeslots, %d of them over the ideal); %d booked, lost by reason %v",
				calls, avail, held, run.Booked, run.LostBy)
			if calls < 50 || avail == 0 || held == 0 {
				t.Errorf("too little to compare: %d calls, %d available timeslots, %d over the ideal", calls, avail, held)
			}
		})
	}
}

// ws0 returns want[i], or the zero timeslot past its end.
func ws0(want []capacity.Timeslot, i int) capacity.Timeslot {
	if i < len(want) {
		return want[i]
	}
	return capacity.Timeslot{}
}

// TestEmergencyIndex compares every emergency's technician and start with
// asking each eligible technician in id order for its earliest start (the
// search the index replaces), on the demo (working time, OnCall shifts,
// several eligible lists sharing technicians, emergencies waiting up to
// four hours) and on M/M/c queues with and without patience.
func TestEmergencyIndex(t *testing.T) {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	demo := Default()
	demo.Variants, demo.Days = nil, 12
	demo.Demand.EmergencyShare = 0.5
	loss, queue := queueStudy(12, 11, false), queueStudy(12, 11.5, true)
	first := mustDate(loss.Start)
	q := aroundTheClock(t, 12, hours.DayStart(time.UTC, first-1), hours.DayStart(time.UTC, first+60))
	for _, tc := range []struct {
		name string
		s    Scenario
		d    capacity.Data
	}{{"demo", demo, ten.Engine.Data()}, {"loss", loss, q}, {"queue", queue, q}} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := newWorld(&tc.s, tc.d, nil)
			if err != nil {
				t.Fatal(err)
			}
			r, err := newRep(w, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			n, waited, lost := 0, 0, 0
			r.onEmergency = func(list []int32, now, end, d int64, pos int32, at int64) {
				n++
				best, bestAt := int32(-1), int64(math.MaxInt64)
				for p, ti := range list {
					if a, ok := r.techs[ti].urgentFit(now, min(end, bestAt), d); ok && a < bestAt {
						best, bestAt = int32(p), a
					}
				}
				if best != pos || (best >= 0 && bestAt != at) {
					t.Fatalf("emergency at %d for %d s: index gives position %d at %d, asking everyone %d at %d", now, d, pos, at, best, bestAt)
				}
				switch {
				case pos < 0:
					lost++
				case at > now:
					waited++
				}
			}
			r.run()
			t.Logf("%d emergencies: %d waited, %d lost", n, waited, lost)
			if n < 100 || (tc.name != "loss" && waited == 0) || (tc.name == "loss" && lost == 0) {
				t.Errorf("too little to compare: %d emergencies, %d waited, %d lost", n, waited, lost)
			}
		})
	}
}
