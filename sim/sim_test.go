package sim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
)

func demoData(t testing.TB) capacity.Data {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	return ten.Engine.Data()
}

func simulate(t testing.TB, s sim.Scenario, d capacity.Data, opt sim.Options) *sim.Result {
	t.Helper()
	res, err := sim.Simulate(s, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func kpi(v sim.VariantSummary, name string) sim.Estimate {
	for _, k := range v.KPIs {
		if k.Name == name {
			return k
		}
	}
	panic("no kpi " + name)
}

// erlangB is the blocking probability of c servers offered load a.
func erlangB(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// lossTenant has c technicians always on shift, business hours around the
// clock and one job type of 60 minutes.
func lossTenant(t testing.TB, c int, first hours.Date, days int) capacity.Data {
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "00:00", To: "24:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "UTC", BusinessHours: bh})
	if err != nil {
		t.Fatal(err)
	}
	d := capacity.Data{Schedule: sched,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Emergency"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Call-out", DurationMinutes: 60}}}
	start := hours.DayStart(time.UTC, first-1)
	var id int64
	for i := range c {
		tech := int64(i + 1)
		d.Technicians = append(d.Technicians, capacity.Technician{ID: tech, Name: fmt.Sprint("T", tech), BusinessUnitID: 1, Active: true})
		for s := start; s < start+int64(days+3)*86400; s += 7 * 86400 {
			id++
			d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: tech, Type: shifts.Normal, Start: s, End: s + 7*86400, Active: true})
		}
	}
	return d
}

// TestErlangB checks the simulator against queueing theory: emergency-only
// Poisson demand around the clock, exponential durations, no driving, c
// technicians always on shift and no waiting is an M/M/c/c loss system,
// whose loss fraction is Erlang B and utilisation A(1−B)/c.
func TestErlangB(t *testing.T) {
	cases := []struct {
		c int
		a float64 // offered load in Erlangs (calls per hour × 1 hour)
	}{{1, 0.5}, {3, 2}, {5, 4}, {8, 5}}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("c=%d/A=%g", tc.c, tc.a), func(t *testing.T) {
			s := sim.Default()
			s.Name = "loss system"
			s.Start, s.Days, s.WarmupDays = "2027-01-04", 15, 1
			s.Demand = sim.Demand{CallsPerDay: tc.a * 24, EmergencyShare: 1, HourOfWeek: flat()}
			s.Booking.EmergencyMaxWaitMinutes = 0
			s.Execution = sim.Execution{Exponential: true, DetourFactor: 0}
			s.Dispatch.Policy = "first-available"
			s.Replications = replications
			s.Variants = nil
			res := simulate(t, s, lossTenant(t, tc.c, hours.MustParseDate(s.Start), s.Days), sim.Options{})
			var loss, util []float64
			for _, r := range res.Runs {
				loss = append(loss, float64(r.EmergencyLost)/float64(r.EmergencyCalls))
				util = append(util, float64(r.OnSiteSeconds)/float64(r.WorkingSeconds))
			}
			lm, lhw := meanHW(loss)
			um, uhw := meanHW(util)
			b := erlangB(tc.c, tc.a)
			u := tc.a * (1 - b) / float64(tc.c)
			t.Logf("loss %.4f ± %.4f (Erlang B %.4f); utilisation %.4f ± %.4f (theory %.4f)", lm, lhw, b, um, uhw, u)
			if math.Abs(lm-b) > lhw {
				t.Errorf("loss fraction %.4f ± %.4f does not cover Erlang B %.4f", lm, lhw, b)
			}
			if math.Abs(um-u) > uhw {
				t.Errorf("utilisation %.4f ± %.4f does not cover A(1−B)/c = %.4f", um, uhw, u)
			}
		})
	}
}

const replications = 40

func flat() []float64 {
	w := make([]float64, 168)
	for i := range w {
		w[i] = 1
	}
	return w
}

// checks is the number of comparisons TestErlangB makes: two per case.
const checks = 8

// meanHW is the mean of xs and the half-width of its 95% interval, made
// simultaneous over the test's checks (Bonferroni: each at 1 − 0.05/8), so
// that the test as a whole fails by chance one time in twenty rather than
// one in three.
func meanHW(xs []float64) (float64, float64) {
	n := float64(len(xs))
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= n
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	sd := math.Sqrt(v / (n - 1))
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1 - 0.05/checks/2)
	return m, q * sd / math.Sqrt(n)
}

// TestInvariants checks Little's law and conservation in every run of the
// default scenario.
func TestInvariants(t *testing.T) {
	s := sim.Default()
	s.Replications = 10
	res := simulate(t, s, demoData(t), sim.Options{})
	for _, r := range res.Runs {
		name := fmt.Sprintf("%s/rep %d", r.Variant, r.Replication)
		if r.Calls != r.Booked+r.Lost+r.Declined {
			t.Errorf("%s: calls %d != booked %d + lost %d + declined %d", name, r.Calls, r.Booked, r.Lost, r.Declined)
		}
		if r.WorkingSeconds != r.OnSiteSeconds+r.DriveSeconds+r.IdleSeconds {
			t.Errorf("%s: working %d != on site %d + driving %d + idle %d", name, r.WorkingSeconds, r.OnSiteSeconds, r.DriveSeconds, r.IdleSeconds)
		}
		// Little's law: the time-average number of technicians on site
		// equals the start rate times the mean time on site, up to the
		// jobs that straddle the ends of the measured span.
		T := float64(r.MeasuredSeconds)
		L := float64(r.OnSiteAll) / T
		lambdaW := float64(r.Jobs) / T * (float64(r.OnSiteStarted) / float64(r.Jobs))
		if math.Abs(L-lambdaW) > 0.02*lambdaW {
			t.Errorf("%s: Little's law: L = %.4f, λW = %.4f", name, L, lambdaW)
		}
		var days int64
		for _, d := range r.Days {
			days += d.Calls
		}
		if days != r.Calls {
			t.Errorf("%s: daily calls sum to %d, not %d", name, days, r.Calls)
		}
	}
}

// TestDeterminism: the same scenario gives byte-identical JSON for any
// number of workers and any sharding.
func TestDeterminism(t *testing.T) {
	s := sim.Default()
	s.Replications = 6
	d := demoData(t)
	encode := func(r *sim.Result) []byte {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := encode(simulate(t, s, d, sim.Options{Workers: 1}))
	if four := encode(simulate(t, s, d, sim.Options{Workers: 4})); !bytes.Equal(one, four) {
		t.Fatal("1 and 4 workers give different results")
	}
	var parts []*sim.Result
	for i := range 3 {
		p := simulate(t, s, d, sim.Options{Shard: i, Shards: 3, Workers: 2})
		if p.Summary != nil || p.Shard == "" {
			t.Fatalf("shard %d is not a partial result", i)
		}
		// Round-trip through JSON, as shards on other machines would.
		var back sim.Result
		if err := json.Unmarshal(encode(p), &back); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, &back)
	}
	merged, err := sim.Merge(parts[2], parts[0], parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := encode(merged); !bytes.Equal(one, got) {
		t.Fatalf("merged shards differ from one run:\n%.500s\n%.500s", one, got)
	}
	if _, err := sim.Merge(parts[0], parts[1]); err == nil {
		t.Error("merging with a shard missing succeeded")
	}
}

// TestCommonRandomNumbers: a variant that changes nothing reproduces the
// baseline exactly, and the default variant's paired difference is
// tighter than the variant's own interval.
func TestCommonRandomNumbers(t *testing.T) {
	s := sim.Default()
	s.Replications = 8
	one := 1.0
	s.Variants = append(s.Variants, sim.Variant{Name: "no change", Changes: []sim.Change{{ScaleDurations: &one}}})
	res := simulate(t, s, demoData(t), sim.Options{})
	base, same := res.Summary.Variants[0], res.Summary.Variants[2]
	for i := range base.KPIs {
		if base.KPIs[i] != same.KPIs[i] {
			t.Errorf("%s: a no-op variant gives %+v, baseline %+v", base.KPIs[i].Name, same.KPIs[i], base.KPIs[i])
		}
	}
	v, diff := kpi(res.Summary.Variants[1], "lost (no capacity)"), kpi(res.Summary.Differences[0], "lost (no capacity)")
	if diff.High-diff.Low >= v.High-v.Low {
		t.Errorf("paired difference interval %.2f is not tighter than the variant's own %.2f", diff.High-diff.Low, v.High-v.Low)
	}
}

func TestScenarioErrors(t *testing.T) {
	_, err := sim.ParseScenario([]byte(`{"days": 0, "warmupDays": -1, "replications": 1, "dispatch": {"policy": "random"},
		"demand": {"callsPerDay": 10, "hourOfWeek": [1, 2], "jobTypes": {"x": 1}},
		"variants": [{"name": "", "changes": [{"scaleDemand": -2}, {}]}]}`))
	want := `days: sim: 0 days is outside 1…366
warmupDays: sim: -1 warm-up days must be at least 0 and fewer than the 0 days
demand.hourOfWeek: sim: 2 weights given, want 168 (one per hour of the week)
demand.jobTypes.x: sim: key "x" is not an id
dispatch.policy: sim: unknown policy "random" (want first-available, least-loaded, nearest or pro)
replications: sim: 1 replications is outside 2…100000 (intervals need two)
variants[0].name: sim: variant name "" is empty or used twice
variants[0].changes[0].scaleDemand: sim: factor -2 is outside (0, 100]
variants[0].changes[1]: sim: a change sets exactly one of addTechnicians, removeTechnicians, shiftHours, idealBookingPercentage, scaleDemand, scaleDurations (found 0)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	if _, err := sim.ParseScenario([]byte(`{"colour": 1}`)); err == nil {
		t.Error("unknown field accepted")
	}
}

func FuzzParseScenario(f *testing.F) {
	def, _ := json.Marshal(sim.Default())
	f.Add(def)
	f.Add([]byte(`{"days": 3, "warmupDays": 1, "replications": 2}`))
	f.Add([]byte(`{"variants": [{"name": "x", "changes": [{"scaleDemand": 2}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := sim.ParseScenario(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseScenario accepted a scenario Validate rejects: %v", err)
		}
	})
}

// TestPings: replication 0 of the baseline keeps its GPS pings, queried
// like the contract's GPS operation; drives report speed and heading.
func TestPings(t *testing.T) {
	s := sim.Default()
	s.Replications = 2
	s.Variants = nil
	res := simulate(t, s, demoData(t), sim.Options{Workers: 1})
	if res.Pings == nil || res.Pings.Len() == 0 {
		t.Fatal("no pings kept")
	}
	loc, _ := hours.LoadLocation("America/Denver")
	day := hours.MustParseDate("2027-03-09")
	from, to := hours.DayStart(loc, day), hours.DayStart(loc, day+1)
	var driving, onSite int
	for _, tech := range []int64{101, 102, 201, 301} {
		prev := int64(0)
		for _, p := range res.Pings.Range(tech, from, to) {
			if p.Time < prev {
				t.Fatalf("pings out of order for %d", tech)
			}
			prev = p.Time
			if p.Speed > 0 {
				driving++
				if p.Heading < 0 || p.Heading >= 360 {
					t.Errorf("heading %v", p.Heading)
				}
			} else {
				onSite++
			}
		}
	}
	if driving == 0 || onSite == 0 {
		t.Errorf("pings on Tuesday: %d driving, %d on site; want both", driving, onSite)
	}
}
